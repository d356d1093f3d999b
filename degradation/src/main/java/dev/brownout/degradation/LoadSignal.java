package dev.brownout.degradation;

import dev.brownout.core.Guard;
import dev.brownout.core.LatencySnapshot;
import dev.brownout.core.Limiter;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.internal.Settings;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.DoubleSupplier;

/** The load a {@link LevelController} follows: read once per refresh, compared with its target. */
public abstract class LoadSignal {

  private final String description;

  LoadSignal(String description) {
    this.description = description;
  }

  /**
   * The worst p95 latency, in milliseconds, of the calls made through {@code guards} since the last
   * reading (guards must record latency: a timeout, or {@code recordLatency(true)}); 0 with no
   * calls.
   */
  public static LoadSignal p95LatencyMillis(Guard... guards) {
    List<Guard> list = List.of(Settings.notNull("loadSignal.guards", guards));
    if (list.isEmpty()) {
      throw Settings.invalid("loadSignal.guards", "[]", "needs at least one guard");
    }
    return new Latency(list);
  }

  /**
   * How close {@code limiter} is to refusing calls ({@link Limiter#pressure()}), from 0 to 1: the
   * largest of its last window's waiting and queue (how much longer than no-load its fastest and,
   * beyond its noise, its average call took), how much of its dependency's capacity it used, and
   * its mean concurrency over its limit; 1 once it refuses. A controller that keeps it under a
   * target such as 0.8 sheds optional features while the limiter still admits every request, so
   * that requests are refused only when shedding was not enough. Each level change makes the
   * limiter measure its no-load latency again ({@link Limiter#remeasure()}): shedding features
   * changes the work of every request, and a latency learned with them on would read the lighter
   * requests as idle and the heavier ones as queued.
   */
  public static LoadSignal pressure(Limiter limiter) {
    Settings.notNull("loadSignal.limiter", limiter);
    return new LoadSignal("pressure of limiter " + limiter.name()) {
      @Override
      double read() {
        return limiter.pressure();
      }

      @Override
      void levelChanged() {
        limiter.remeasure();
      }
    };
  }

  /** How full {@code executor} is, from 0 to 1 ({@link BoundedExecutor#saturation()}). */
  public static LoadSignal saturation(BoundedExecutor executor) {
    Settings.notNull("loadSignal.executor", executor);
    return of("saturation of executor " + executor.name(), executor::saturation);
  }

  /** Any number the service can read cheaply: a queue depth, a connection pool's use. */
  public static LoadSignal of(String description, DoubleSupplier reading) {
    Settings.notNull("loadSignal.reading", reading);
    return new LoadSignal(Settings.notNull("loadSignal.description", description)) {
      @Override
      double read() {
        return reading.getAsDouble();
      }
    };
  }

  /** The CPU load of this process, from 0 to 1 (NaN where the JVM cannot tell). */
  public static LoadSignal processCpu() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return new LoadSignal("process CPU load") {
      @Override
      double read() {
        return os instanceof com.sun.management.OperatingSystemMXBean sun
            ? sun.getProcessCpuLoad()
            : Double.NaN;
      }
    };
  }

  abstract double read();

  /**
   * Told after the level this signal steers has changed (the work of a request may have changed).
   */
  void levelChanged() {}

  @Override
  public String toString() {
    return description;
  }

  /** The p95 of the latency recorded between two readings, the worst of several guards. */
  private static final class Latency extends LoadSignal {
    private final List<Guard> guards;
    private final LatencySnapshot[] last;

    Latency(List<Guard> guards) {
      super("p95 latency (ms) of " + guards.stream().map(Guard::name).toList());
      this.guards = guards;
      this.last = new LatencySnapshot[guards.size()];
      for (int i = 0; i < last.length; i++) {
        last[i] = guards.get(i).latency();
      }
    }

    @Override
    synchronized double read() {
      double worst = 0.0;
      for (int i = 0; i < last.length; i++) {
        LatencySnapshot now = guards.get(i).latency();
        LatencySnapshot recent = now.minus(last[i]);
        last[i] = now;
        if (recent.count() > 0) {
          worst = Math.max(worst, recent.percentile(0.95).toNanos() / 1e6);
        }
      }
      return worst;
    }
  }
}
