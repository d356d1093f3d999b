package dev.brownout.degradation;

import dev.brownout.core.CallCounts;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.Guard;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * A signal that switches an AUTO feature off while it fires: a linked breaker rejecting calls, a
 * guard's error rate, an executor's saturation. It fires when its reading reaches {@code fireAt},
 * and clears once the reading is below {@code clearBelow} and it has fired for at least {@link
 * #holdFor} — two thresholds and a minimum hold, so a feature does not flap on and off around one
 * value.
 *
 * <pre>{@code
 * features.define("feed.recommendations")
 *     .priority(Priority.P3)
 *     .trigger(Trigger.breakerOpen(recommendationsBreaker))
 *     .trigger(Trigger.errorRate(recommendationsGuard, 0.5, 0.2, 20).holdFor(Duration.ofSeconds(30)))
 *     .initially(Switch.auto())
 *     .register();
 * }</pre>
 *
 * <p>Triggers are read by the features' refresh (every second by default), once per refresh each.
 */
public abstract class Trigger {

  private final String description;
  private final double fireAt;
  private final double clearBelow;
  private final long holdNanos;

  Trigger(String description, double fireAt, double clearBelow, long holdNanos) {
    this.description = description;
    this.fireAt = fireAt;
    this.clearBelow = clearBelow;
    this.holdNanos = holdNanos;
  }

  /**
   * Fires while {@code breaker} rejects calls (OPEN before its wait ends, or FORCED_OPEN), and
   * clears as soon as it would let a probe through, so the probe traffic can close it again.
   */
  public static Trigger breakerOpen(CircuitBreaker breaker) {
    Settings.notNull("trigger.breaker", breaker);
    return new Reading(
        "breaker " + breaker.name() + " is open",
        1.0,
        1.0,
        0L,
        () -> breaker.isRejectingCalls() ? 1.0 : 0.0);
  }

  /**
   * Fires when the share of failed calls through {@code guard}, over the calls since the last
   * refresh ({@link CallCounts#errorRate}), reaches {@code fireAt}, counted only once at least
   * {@code minCalls} calls were made; clears below {@code clearBelow}. While the feature is off the
   * guard sees no calls, which counts as clear: once the hold ends, traffic returns and probes the
   * dependency.
   */
  public static Trigger errorRate(Guard guard, double fireAt, double clearBelow, int minCalls) {
    Settings.notNull("trigger.guard", guard);
    Settings.positive("trigger.minCalls", minCalls);
    checkThresholds(fireAt, clearBelow);
    if (fireAt > 1.0) {
      throw Settings.invalid("trigger.fireAt", fireAt, "is an error rate, from 0 to 1");
    }
    return new ErrorRate(guard, fireAt, clearBelow, minCalls, DEFAULT_HOLD);
  }

  /**
   * Fires when {@code executor} (or a partition of it) is at least {@code fireAt} full ({@link
   * BoundedExecutor#saturation()}: 1 means the next task waits or is rejected), clears below {@code
   * clearBelow}: shed the feature before its work is rejected.
   */
  public static Trigger saturated(BoundedExecutor executor, double fireAt, double clearBelow) {
    Settings.notNull("trigger.executor", executor);
    checkThresholds(fireAt, clearBelow);
    if (fireAt > 1.0) {
      throw Settings.invalid("trigger.fireAt", fireAt, "is a saturation, from 0 to 1");
    }
    String name =
        executor.name()
            + (executor.partitionName().equals("shared") ? "" : "/" + executor.partitionName());
    return new Reading(
        "executor " + name + " at " + fireAt + " saturation or more",
        fireAt,
        clearBelow,
        DEFAULT_HOLD,
        executor::saturation);
  }

  /**
   * Fires when {@code signal} reaches {@code fireAt}, clears below {@code clearBelow}: an
   * executor's saturation ({@code executor::saturation}), a queue depth, any number the service can
   * read cheaply.
   */
  public static Trigger above(
      String description, DoubleSupplier signal, double fireAt, double clearBelow) {
    Settings.notNull("trigger.signal", signal);
    checkThresholds(fireAt, clearBelow);
    return new Reading(
        Settings.notNull("trigger.description", description),
        fireAt,
        clearBelow,
        DEFAULT_HOLD,
        signal);
  }

  /**
   * The same trigger, kept firing for at least {@code hold} once it fires (default 10 s; 0 for
   * breakers).
   */
  public Trigger holdFor(Duration hold) {
    return copy(Settings.notNegative("trigger.holdFor", hold).toNanos());
  }

  private static final long DEFAULT_HOLD = Duration.ofSeconds(10).toNanos();

  private static void checkThresholds(double fireAt, double clearBelow) {
    if (Double.isNaN(fireAt) || Double.isNaN(clearBelow) || clearBelow > fireAt) {
      throw Settings.invalid(
          "trigger.clearBelow",
          clearBelow,
          "must be at most trigger.fireAt (" + fireAt + "), so the trigger cannot flap");
    }
  }

  abstract Trigger copy(long holdNanos);

  /** Reads the signal once per refresh; NaN when there is nothing to judge by (counts as clear). */
  abstract double read();

  String description() {
    return description;
  }

  /** The state after a reading, given whether the trigger was firing and for how long. */
  boolean fires(boolean firing, double reading, long firingForNanos) {
    if (!firing) {
      return reading >= fireAt;
    }
    return !(firingForNanos >= holdNanos && !(reading >= clearBelow));
  }

  double fireAt() {
    return fireAt;
  }

  double clearBelow() {
    return clearBelow;
  }

  long holdNanos() {
    return holdNanos;
  }

  @Override
  public String toString() {
    return description;
  }

  /** A trigger over a plain number. */
  private static final class Reading extends Trigger {
    private final DoubleSupplier signal;

    Reading(
        String description,
        double fireAt,
        double clearBelow,
        long holdNanos,
        DoubleSupplier signal) {
      super(description, fireAt, clearBelow, holdNanos);
      this.signal = signal;
    }

    @Override
    Trigger copy(long holdNanos) {
      return new Reading(description(), fireAt(), clearBelow(), holdNanos, signal);
    }

    @Override
    double read() {
      return signal.getAsDouble();
    }
  }

  /** A guard's error rate over the calls between two refreshes. */
  private static final class ErrorRate extends Trigger {
    private final Guard guard;
    private final int minCalls;
    private CallCounts last;

    ErrorRate(Guard guard, double fireAt, double clearBelow, int minCalls, long holdNanos) {
      super(
          "error rate of guard " + guard.name() + " at " + fireAt + " or more",
          fireAt,
          clearBelow,
          holdNanos);
      this.guard = guard;
      this.minCalls = minCalls;
      this.last = guard.counts();
    }

    @Override
    Trigger copy(long holdNanos) {
      return new ErrorRate(guard, fireAt(), clearBelow(), minCalls, holdNanos);
    }

    @Override
    synchronized double read() {
      CallCounts now = guard.counts();
      CallCounts recent = now.minus(last);
      last = now;
      return recent.total() - recent.degraded() < minCalls ? Double.NaN : recent.errorRate();
    }
  }
}
