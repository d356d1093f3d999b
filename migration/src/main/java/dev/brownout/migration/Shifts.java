package dev.brownout.migration;

import dev.brownout.core.Brownout;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime's shifts: found by name (by an operator's page, by code that did not build them, such
 * as a class the processor generated), and checked on their schedules.
 *
 * <p>Design notes. One daemon thread per runtime, created with the first shift that asks for a
 * schedule, runs every shift's checks: a check reads counters and two histograms and at most writes
 * one switch, far less than a second's work, so one thread keeps every schedule. It is not the
 * experiments' timer: a check that writes its switch to a slow store must not delay an experiment's
 * timeout. A check that throws is logged and the schedule goes on (a scheduled task that throws is
 * never run again, and a shift whose checks stopped unseen would hold its share for good). The
 * thread ends when the runtime closes.
 */
final class Shifts implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Shifts.class);

  private final Map<String, Shift<?>> byName = new ConcurrentHashMap<>();
  private volatile ScheduledThreadPoolExecutor checks;
  private boolean closed;

  static Shifts of(Brownout runtime) {
    return runtime.component(Shifts.class, r -> new Shifts());
  }

  /**
   * Registers {@code shift} under its name.
   *
   * @throws IllegalStateException if the runtime has a shift of that name
   */
  void register(Shift<?> shift) {
    if (byName.putIfAbsent(shift.name(), shift) != null) {
      throw new IllegalStateException(
          "a shift named '"
              + shift.name()
              + "' was built on this runtime already: build one per name and share it");
    }
  }

  Optional<Shift<?>> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  List<Shift<?>> all() {
    return byName.values().stream().sorted(Comparator.comparing(Shift::name)).toList();
  }

  /**
   * Runs {@code shift.check()} every {@code every}, from one period on, until the runtime closes.
   */
  void schedule(Shift<?> shift, Duration every) {
    long nanos = every.toNanos();
    try {
      var unused =
          executor().scheduleWithFixedDelay(() -> check(shift), nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      LOG.warn("shift '{}': not checked on a schedule, its runtime is closed", shift.name());
    }
  }

  private static void check(Shift<?> shift) {
    try {
      shift.check();
    } catch (RuntimeException e) {
      LOG.error(
          "shift '{}': its scheduled check failed; the next one runs as planned", shift.name(), e);
    }
  }

  private ScheduledThreadPoolExecutor executor() {
    ScheduledThreadPoolExecutor executor = checks;
    if (executor == null) {
      synchronized (this) {
        executor = checks;
        if (closed) {
          throw new RejectedExecutionException("closed");
        }
        if (executor == null) {
          executor =
              new ScheduledThreadPoolExecutor(
                  1,
                  task -> {
                    Thread thread = new Thread(task, "brownout-shift-checks");
                    thread.setDaemon(true);
                    return thread;
                  });
          executor.setRemoveOnCancelPolicy(true);
          checks = executor;
        }
      }
    }
    return executor;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (checks != null) {
      checks.shutdownNow();
    }
  }
}
