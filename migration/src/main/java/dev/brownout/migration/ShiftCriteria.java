package dev.brownout.migration;

import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * What a shift's judge holds the new path to at each step, against the old path in the same window
 * and process.
 *
 * <ul>
 *   <li>Errors: a one-sided test that the new path's error rate exceeds the old one's by more than
 *       {@code errorMargin} (an absolute difference of rates), at an overall significance of {@code
 *       alpha} spent over {@code looks} planned looks per step; and an absolute ceiling, {@code
 *       errorCeiling}, over which the new path's rate rolls back whatever the old one's.
 *   <li>Latency: the new path's {@code latencyQuantile} over the old one's, more than {@code
 *       maxLatencyRatio} and slower by at least {@code minLatencyDelta}, at {@code latencyStrikes}
 *       looks in a row.
 *   <li>Data: a look with fewer than {@code minCalls} calls on either path decides nothing (HOLD).
 * </ul>
 */
public record ShiftCriteria(
    double errorMargin,
    double alpha,
    int looks,
    double errorCeiling,
    double latencyQuantile,
    double maxLatencyRatio,
    Duration minLatencyDelta,
    int latencyStrikes,
    int minCalls) {

  public ShiftCriteria {
    between("shift.errorMargin", errorMargin, 0, 1);
    if (!(alpha > 0 && alpha < 0.5)) {
      throw Settings.invalid("shift.alpha", alpha, "must be in (0, 0.5)");
    }
    if (looks < 1) {
      throw Settings.invalid("shift.looks", looks, "must be at least 1");
    }
    if (!(errorCeiling > 0 && errorCeiling <= 1)) {
      throw Settings.invalid("shift.errorCeiling", errorCeiling, "must be in (0, 1]");
    }
    if (!(latencyQuantile > 0 && latencyQuantile < 1)) {
      throw Settings.invalid("shift.latencyQuantile", latencyQuantile, "must be in (0, 1)");
    }
    if (!(maxLatencyRatio >= 1)) {
      throw Settings.invalid("shift.maxLatencyRatio", maxLatencyRatio, "must be at least 1");
    }
    if (minLatencyDelta == null || minLatencyDelta.isNegative()) {
      throw Settings.invalid("shift.minLatencyDelta", minLatencyDelta, "must be zero or more");
    }
    if (latencyStrikes < 1) {
      throw Settings.invalid("shift.latencyStrikes", latencyStrikes, "must be at least 1");
    }
    if (minCalls < 1) {
      throw Settings.invalid("shift.minCalls", minCalls, "must be at least 1");
    }
  }

  /**
   * A margin of 1 point of error rate, 5% significance over 5 looks a step, a 20% error ceiling,
   * the p99 at most 1.5 times the old one's and 20 ms slower at 3 looks in a row, and 200 calls a
   * look.
   */
  public static ShiftCriteria defaults() {
    return new ShiftCriteria(0.01, 0.05, 5, 0.2, 0.99, 1.5, Duration.ofMillis(20), 3, 200);
  }

  /** A builder that starts from {@link #defaults()}: set only what differs. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /**
   * Builds {@link ShiftCriteria} setting by setting; {@link #build()} checks them all, naming the
   * first bad one and its value.
   */
  public static final class Builder {
    private double errorMargin;
    private double alpha;
    private int looks;
    private double errorCeiling;
    private double latencyQuantile;
    private double maxLatencyRatio;
    private Duration minLatencyDelta;
    private int latencyStrikes;
    private int minCalls;

    private Builder(ShiftCriteria from) {
      errorMargin = from.errorMargin();
      alpha = from.alpha();
      looks = from.looks();
      errorCeiling = from.errorCeiling();
      latencyQuantile = from.latencyQuantile();
      maxLatencyRatio = from.maxLatencyRatio();
      minLatencyDelta = from.minLatencyDelta();
      latencyStrikes = from.latencyStrikes();
      minCalls = from.minCalls();
    }

    /** How much worse the new error rate may be, as a difference of rates (default 0.01). */
    public Builder errorMargin(double value) {
      errorMargin = value;
      return this;
    }

    /** The overall significance of the error test over a step's looks (default 0.05). */
    public Builder alpha(double value) {
      alpha = value;
      return this;
    }

    /** The planned looks per step, over which alpha is spent (default 5). */
    public Builder looks(int value) {
      looks = value;
      return this;
    }

    /** The error rate over which the new path rolls back whatever the old one does (0.2). */
    public Builder errorCeiling(double value) {
      errorCeiling = value;
      return this;
    }

    /** The latency quantile compared (default 0.99). */
    public Builder latencyQuantile(double value) {
      latencyQuantile = value;
      return this;
    }

    /** How many times the old path's quantile the new one's may be (default 1.5). */
    public Builder maxLatencyRatio(double value) {
      maxLatencyRatio = value;
      return this;
    }

    /** How much slower the new quantile must also be to count (default 20 ms). */
    public Builder minLatencyDelta(Duration value) {
      minLatencyDelta = value;
      return this;
    }

    /** Slow looks in a row that roll back (default 3). */
    public Builder latencyStrikes(int value) {
      latencyStrikes = value;
      return this;
    }

    /** Calls each path needs in a look before it decides anything (default 200). */
    public Builder minCalls(int value) {
      minCalls = value;
      return this;
    }

    public ShiftCriteria build() {
      return new ShiftCriteria(
          errorMargin,
          alpha,
          looks,
          errorCeiling,
          latencyQuantile,
          maxLatencyRatio,
          minLatencyDelta,
          latencyStrikes,
          minCalls);
    }
  }

  private static void between(String setting, double value, double low, double high) {
    if (!(value >= low && value <= high)) {
      throw Settings.invalid(setting, value, "must be in [" + low + ", " + high + "]");
    }
  }
}
