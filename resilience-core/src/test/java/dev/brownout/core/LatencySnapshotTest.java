package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The latency histogram and its snapshots on their own: bucket error bounds and percentiles (a
 * guard's latency is in {@code GuardLatencyTest}).
 */
class LatencySnapshotTest {

  @Property(tries = 2000)
  void aBucketsUpperBoundIsAtMostAnEighthAboveAnyValueInIt(
      @ForAll @LongRange(min = 0, max = 1L << 40) long nanos) {
    long upper = LatencyHistogram.upperBound(LatencyHistogram.bucket(nanos));

    assertThat(upper).isGreaterThanOrEqualTo(nanos);
    assertThat((double) upper).isLessThanOrEqualTo(nanos * 1.125 + 1);
  }

  @Property(tries = 300)
  void percentilesNeverUnderstateAndStayWithinTheBucketError(
      @ForAll @Size(min = 1, max = 200) long[] raw) {
    long[] durations =
        Arrays.stream(raw).map(v -> Math.floorMod(v, 10_000_000_000L)).sorted().toArray();
    LatencyHistogram histogram = new LatencyHistogram();
    for (long d : durations) {
      histogram.record(d);
    }
    LatencySnapshot snapshot = new LatencySnapshot(histogram.snapshot());

    for (double q : new double[] {0.5, 0.95, 0.99, 1.0}) {
      long exact = durations[(int) Math.max(0, Math.ceil(q * durations.length) - 1)];
      long reported = snapshot.percentile(q).toNanos();
      assertThat(reported).isGreaterThanOrEqualTo(exact);
      assertThat((double) reported).isLessThanOrEqualTo(exact * 1.125 + 1);
    }
    assertThat(snapshot.count()).isEqualTo(durations.length);
  }

  @Test
  void rejectsAQuantileOutsideZeroToOne() {
    assertThatThrownBy(() -> LatencySnapshot.empty().percentile(1.5))
        .hasMessageContaining("percentile.quantile")
        .hasMessageContaining("1.5");
  }
}
