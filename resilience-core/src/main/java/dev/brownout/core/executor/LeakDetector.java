package dev.brownout.core.executor;

import dev.brownout.core.internal.LogText;
import dev.brownout.core.internal.Settings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds handles on resources that are dropped without being closed: an HTTP response body, a
 * stream, a connection lent by a pool. {@link #track} returns a handle; close the resource through
 * the handle. If the handle becomes unreachable while still open, the detector reports it once (a
 * warning, with where it was opened when that open was sampled) and counts it on {@code
 * brownout.leaks}, whether or not something else (a pool) still refers to the resource.
 *
 * <pre>{@code
 * LeakDetector leaks = LeakDetector.builder().captureRate(0.05).build();
 * brownout.bindMeters(leaks);
 * try (LeakDetector.Tracked<InputStream> body = leaks.track(response.body(), "http-body")) {
 *   return parse(body.resource());
 * }
 * }</pre>
 *
 * <p>What it can and cannot tell. It watches the handle, not the resource: watching the resource
 * missed every handle dropped on a resource something else still holds (a pooled connection is
 * never garbage). So the handle is the contract: closing the resource directly rather than through
 * its handle, then dropping the handle, is reported as a leak, since the detector cannot see how a
 * resource was closed. A report comes only after a garbage collection finds the handle unreachable,
 * so it is late, and never comes for a handle kept reachable forever (in a field or a collection
 * that only grows); a leak the program holds on to is a memory leak, for a heap dump to find. The
 * library hands out no resource of its own that needs it ({@code Brownout}, {@code Features} and
 * executors are closed once, at shutdown, and a {@link Deadline.Scope} is bound to its thread, not
 * to the heap), so this is a tool for the resources an application lends out.
 *
 * <p>Design note. The detector registers each handle with a {@link Cleaner}; the cleaning action
 * holds only the name, the open site and the handle's closed flag, never the handle or the
 * resource, so it keeps neither alive. A handle in use is reachable, so it is never reported.
 * Capturing the open site costs a stack walk, so only a share of opens ({@code captureRate}) pays
 * it. Names become meter tags: keep them few.
 */
public final class LeakDetector implements MeterBinder {

  private static final Logger LOG = LoggerFactory.getLogger(LeakDetector.class);

  private final Cleaner cleaner;
  private final double captureRate;
  private final Map<String, LongAdder> leaks = new ConcurrentHashMap<>();
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final BiConsumer<String, Throwable> reporter;

  private LeakDetector(Builder b) {
    this.cleaner = Cleaner.create();
    this.captureRate = b.captureRate;
    this.reporter = b.reporter;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Tracks {@code resource} under {@code name} until the returned handle is closed. */
  public <R extends AutoCloseable> Tracked<R> track(R resource, String name) {
    Settings.notNull("leakDetector.resource", resource);
    Settings.name("leakDetector.name", name);
    Throwable site = sampled() ? new OpenedAt(name) : null;
    return new Tracked<>(resource, new Leak(this, name, site), cleaner);
  }

  /** Leaks reported so far under {@code name}. */
  public long leaks(String name) {
    LongAdder count = leaks.get(name);
    return count == null ? 0 : count.sum();
  }

  /** Leaks reported so far under every name. */
  public long leaks() {
    long sum = 0;
    for (LongAdder count : leaks.values()) {
      sum += count.sum();
    }
    return sum;
  }

  /** Binds {@code brownout.leaks} (tag {@code resource}), for names reported now and later. */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    registries.add(registry);
    leaks.forEach((name, count) -> counter(registry, name, count));
  }

  private boolean sampled() {
    return captureRate >= 1d
        || (captureRate > 0d && ThreadLocalRandom.current().nextDouble() < captureRate);
  }

  private void report(String name, Throwable site) {
    LongAdder count = leaks.get(name);
    if (count == null) {
      synchronized (this) {
        count = leaks.computeIfAbsent(name, n -> new LongAdder());
        for (MeterRegistry registry : registries) {
          counter(registry, name, count);
        }
      }
    }
    count.increment();
    reporter.accept(name, site);
  }

  private static void counter(MeterRegistry registry, String name, LongAdder count) {
    FunctionCounter.builder("brownout.leaks", count, LongAdder::sum)
        .description("Handles on tracked resources that became unreachable without being closed")
        .tags("resource", name)
        .register(registry);
  }

  private static void log(String name, Throwable site) {
    if (site != null) {
      LOG.warn(
          "a handle on resource '{}' became unreachable without being closed; it was opened here:{}",
          LogText.of(name),
          LogText.trailingTrace(site));
    } else {
      LOG.warn(
          "a handle on resource '{}' became unreachable without being closed; raise the leak detector's captureRate to see where it was opened",
          LogText.of(name));
    }
  }

  /**
   * A tracked resource: close it to close the resource and stop tracking it. Closing throws no
   * checked exception (so a try-with-resources stays quiet): an {@link IOException} from the
   * resource arrives as an {@link UncheckedIOException}, another checked one inside an {@link
   * IllegalStateException}.
   */
  public static final class Tracked<R extends AutoCloseable> implements AutoCloseable {
    private final R resource;
    private final Leak leak;
    private final Cleaner.Cleanable cleanable;

    private Tracked(R resource, Leak leak, Cleaner cleaner) {
      this.resource = resource;
      this.leak = leak;
      this.cleanable = cleaner.register(this, leak);
    }

    public R resource() {
      return resource;
    }

    /** Closes the resource (once; later calls do nothing). */
    @Override
    public void close() {
      if (!leak.closed.compareAndSet(false, true)) {
        return;
      }
      cleanable.clean();
      try {
        resource.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while closing '" + leak.name + "'", e);
      } catch (Exception e) {
        throw new IllegalStateException("closing '" + leak.name + "' failed", e);
      }
    }
  }

  /** The cleaning action: reports the resource unless its handle was closed. */
  private static final class Leak implements Runnable {
    private final LeakDetector detector;
    private final String name;
    private final Throwable site;
    final AtomicBoolean closed = new AtomicBoolean();

    Leak(LeakDetector detector, String name, Throwable site) {
      this.detector = detector;
      this.name = name;
      this.site = site;
    }

    @Override
    public void run() {
      if (closed.compareAndSet(false, true)) {
        try {
          detector.report(name, site);
        } catch (RuntimeException e) {
          LOG.warn("reporting a leak of '{}' failed{}", LogText.of(name), LogText.trailingTrace(e));
        }
      }
    }
  }

  /** The stack of the code that opened a leaked resource. */
  private static final class OpenedAt extends Throwable {
    private static final long serialVersionUID = 1L;

    OpenedAt(String name) {
      super("'" + name + "' opened here", null, false, true);
    }
  }

  /** Builds a {@link LeakDetector}. */
  public static final class Builder {
    private double captureRate = 0.01;
    private BiConsumer<String, Throwable> reporter = LeakDetector::log;

    private Builder() {}

    /** The share of opens whose stack is captured, in [0, 1] (0.01 by default). */
    public Builder captureRate(double rate) {
      this.captureRate = Settings.ratio("leakDetector.captureRate", rate);
      return this;
    }

    /** Where reports go instead of the log (for tests). */
    Builder reporter(BiConsumer<String, Throwable> reporter) {
      this.reporter = reporter;
      return this;
    }

    public LeakDetector build() {
      return new LeakDetector(this);
    }
  }
}
