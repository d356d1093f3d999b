package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * The durations of a guard's calls up to one moment, for percentiles. Take two and subtract ({@link
 * #minus}) for the calls of an interval, e.g. the p95 of the last ten seconds for a load
 * controller. Percentiles are bucket upper bounds: at most 12.5% above the true value, never below
 * it.
 */
public final class LatencySnapshot {

  private final long[] buckets;
  private final long count;

  LatencySnapshot(long[] buckets) {
    this.buckets = buckets;
    long sum = 0;
    for (long bucket : buckets) {
      sum += bucket;
    }
    this.count = sum;
  }

  static LatencySnapshot empty() {
    return new LatencySnapshot(new long[LatencyHistogram.BUCKETS]);
  }

  /** How many calls were timed. */
  public long count() {
    return count;
  }

  /** The calls timed between {@code earlier} and this snapshot. */
  public LatencySnapshot minus(LatencySnapshot earlier) {
    long[] delta = new long[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      delta[i] = Math.max(0, buckets[i] - earlier.buckets[i]);
    }
    return new LatencySnapshot(delta);
  }

  /**
   * The duration that {@code quantile} (0 to 1) of the calls did not exceed; zero with no calls.
   */
  public Duration percentile(double quantile) {
    if (!(quantile >= 0.0 && quantile <= 1.0)) {
      throw Settings.invalid("percentile.quantile", quantile, "must be in [0, 1]");
    }
    if (count == 0) {
      return Duration.ZERO;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * count));
    long seen = 0;
    for (int i = 0; i < buckets.length; i++) {
      seen += buckets[i];
      if (seen >= rank) {
        return Duration.ofNanos(LatencyHistogram.upperBound(i));
      }
    }
    return Duration.ofNanos(LatencyHistogram.upperBound(buckets.length - 1));
  }
}
