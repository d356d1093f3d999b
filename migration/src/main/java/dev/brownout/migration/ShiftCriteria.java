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

  private static void between(String setting, double value, double low, double high) {
    if (!(value >= low && value <= high)) {
      throw Settings.invalid(setting, value, "must be in [" + low + ", " + high + "]");
    }
  }
}
