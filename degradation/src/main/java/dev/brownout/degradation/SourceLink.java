package dev.brownout.degradation;

import dev.brownout.core.internal.LogText;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link SwitchSource} plugged into a {@link Features}: the sink it delivers to, and its reads.
 *
 * <p><b>Deliveries.</b> Every delivery is checked whole (its feature names and switches) before
 * anything of it is applied, then applied and published as one change under the lock of the {@link
 * Features}, and only then remembered as applied: a delivery is in force entirely or not at all. A
 * complete state ({@link SwitchSink#replaceAll}) is compared with the last one applied, so an
 * unchanged entry is no action and an entry that is gone is withdrawn.
 *
 * <p><b>Reads.</b> A source's start and polls run on a thread of the reads pool, one at a time. A
 * read may block for ever (a switch file that became a FIFO blocks in open(2), which no interrupt
 * ends) or fail with an {@code Error} (reading {@code /dev/zero} into memory). Neither may hold
 * back the rest of the refresh, so the read runs apart from the evaluation; a read still running
 * when the next refresh comes is not started again (a source never holds more than one thread), is
 * counted once as an error when it overruns {@code brownout.features.sourceTimeout} (real time: the
 * bound is on I/O, not on the runtime's clock), and delivers when it ends. Any throwable from a
 * source is contained and counted: after an {@code OutOfMemoryError} from one giant read, the
 * memory it took is garbage again.
 */
final class SourceLink {

  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  final SwitchSource source;
  final ChangeSource changeSource;
  private final Features features;
  private final Executor reads;
  private final long timeoutNanos;
  private final Sink sink = new Sink();

  /** The last complete state applied, by feature name; guarded by the lock of {@link #features}. */
  private Map<String, Switch> applied = Map.of();

  private volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
  private volatile long startedAt;
  private volatile boolean reported;

  SourceLink(SwitchSource source, Features features, Executor reads, long timeoutNanos) {
    this.source = source;
    this.changeSource =
        ChangeSource.source(Settings.notNull("features.source.name", source.name()));
    this.features = features;
    this.reads = reads;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Offers the source a change made on this instance; a source that cannot take it is logged and
   * counted, and the change stays local.
   */
  void offer(String feature, Switch fixed) {
    try {
      source.write(feature, fixed);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      features.meters().countSourceError(changeSource.name());
      LOG.error(
          "switch source {} could not take the change of {} to {}; it stays local{}",
          LogText.of(changeSource.name()),
          feature,
          LogText.of(fixed),
          LogText.trailingTrace(e));
    }
  }

  /** Starts the source's start, unless a read is running; returns whether it started. */
  boolean start() {
    return begin(() -> source.start(sink), "could not start");
  }

  /** Starts a poll of the source, unless a read is running; returns whether it started. */
  boolean poll() {
    return begin(source::poll, "failed to poll");
  }

  /** Starts {@code body} unless a read is still running; returns whether it started. */
  private synchronized boolean begin(SourceBody body, String failure) {
    if (!running.isDone()) {
      return false;
    }
    CompletableFuture<Void> read = new CompletableFuture<>();
    startedAt = System.nanoTime();
    reported = false;
    running = read;
    try {
      reads.execute(
          () -> {
            try {
              body.run();
            } catch (Throwable e) {
              if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
              }
              sink.failed(failure + ": " + e, e);
            } finally {
              read.complete(null);
            }
          });
    } catch (RejectedExecutionException e) {
      read.complete(null);
      return false;
    }
    return true;
  }

  /**
   * Waits for the running read until {@code deadline} ({@link System#nanoTime}), then reports it.
   */
  void await(long deadline) {
    try {
      running.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      reportIfLate(startedAt + timeoutNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new AssertionError("a source read completes normally", e);
    }
  }

  /** Counts a read running since before {@code now - sourceTimeout}, once per read. */
  synchronized void reportIfLate(long now) {
    if (!running.isDone() && !reported && now - startedAt >= timeoutNanos) {
      reported = true;
      sink.failed(
          "a read has not ended after "
              + Duration.ofNanos(timeoutNanos)
              + " ("
              + Features.SOURCE_TIMEOUT_KEY
              + "); the source is not read again until it ends, and the other sources and expiries go on",
          null);
    }
  }

  /** A source's start or poll. */
  private interface SourceBody {
    void run() throws Exception;
  }

  /** Where the source delivers its switches. */
  private final class Sink implements SwitchSink {

    @Override
    public void replaceAll(Map<String, Switch> switches) {
      Map<String, Switch> copy = checked(switches);
      features.change(
          changeSource,
          change -> {
            for (Map.Entry<String, Switch> entry : copy.entrySet()) {
              if (!entry.getValue().equals(applied.get(entry.getKey()))) {
                change.deliver(
                    SourceLink.this, entry.getKey(), entry.getValue(), changeSource.name());
              }
            }
            for (String gone : applied.keySet()) {
              if (!copy.containsKey(gone)) {
                change.withdraw(SourceLink.this, gone, "removed from " + changeSource.name());
              }
            }
            applied = copy;
            return null;
          });
    }

    @Override
    public void set(String feature, Switch setting) {
      Settings.notNull("switch for " + feature, setting);
      String name = features.feature(feature).name();
      Switch fixed =
          features.change(
              changeSource,
              change -> change.deliver(SourceLink.this, name, setting, changeSource.name()));
      features.offer(name, fixed, SourceLink.this);
    }

    @Override
    public void setAll(Map<String, Switch> changes, Map<String, String> origins) {
      Map<String, Switch> copy = checked(changes);
      features.change(
          changeSource,
          change -> {
            for (Map.Entry<String, Switch> entry : copy.entrySet()) {
              change.deliver(
                  SourceLink.this,
                  entry.getKey(),
                  entry.getValue(),
                  origins.getOrDefault(entry.getKey(), changeSource.name()));
            }
            return null;
          });
    }

    /** The delivery with its names checked, or an exception before anything of it is applied. */
    private Map<String, Switch> checked(Map<String, Switch> switches) {
      Map<String, Switch> copy = new LinkedHashMap<>();
      for (Map.Entry<String, Switch> entry : switches.entrySet()) {
        copy.put(
            FeatureName.of(entry.getKey()).toString(),
            Settings.notNull("switch for " + entry.getKey(), entry.getValue()));
      }
      return copy;
    }

    @Override
    public void failed(String problem, @Nullable Throwable cause) {
      features.meters().countSourceError(changeSource.name());
      LOG.error(
          "switch source {}: {}; its last good state is kept{}",
          LogText.of(changeSource.name()),
          LogText.neutralise(problem, LogText.MAX_MESSAGE_LENGTH),
          LogText.trailingTrace(cause));
    }
  }
}
