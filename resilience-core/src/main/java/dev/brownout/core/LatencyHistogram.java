package dev.brownout.core;

import io.micrometer.core.instrument.Timer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Call durations of a guard that times its calls, in log-linear buckets: eight buckets per power of
 * two, so any percentile read back is at most 12.5% above the true value, from 1 ns up to about 18
 * minutes (longer calls land in the last bucket).
 *
 * <p>Design note. Each stripe has its own row of counters, 128 bytes away from the next row, so two
 * threads timing calls through one guard write different cache lines; recording is one index
 * computation and one atomic increment. Readers sum the rows without stopping writers: a snapshot
 * may miss calls recorded while it is taken, never counts one twice, and is exact when no call ends
 * meanwhile.
 *
 * <p>Publishing. A registry cannot be handed these buckets: Micrometer has no meter that reads a
 * histogram kept elsewhere (a {@code FunctionTimer} carries a count and a total, nothing more), and
 * a registry's timer keeps its own buckets, in its own layout (Prometheus's {@code le} bounds). So
 * each duration is also given to the {@code brownout.latency} timer of every bound registry, from
 * an array that binding replaces (copy on write) and recording only reads. A guard that does not
 * record latency has no histogram and pays nothing; one that does pays a timer update per registry,
 * measured by {@code LatencyRecordingBenchmark}.
 */
final class LatencyHistogram {

  private static final Timer[] NO_TIMERS = {};

  private static final int SUB_BITS = 3;
  private static final int SUBS = 1 << SUB_BITS;
  private static final int MAX_EXPONENT = 40;
  static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUBS;

  private final int rowLength = BUCKETS + Stripes.LONG_PAD;
  private final AtomicLongArray counts =
      new AtomicLongArray(Stripes.COUNT * rowLength + Stripes.LONG_PAD);

  /** Written under this lock, read without it. */
  private volatile Timer[] timers = NO_TIMERS;

  void record(long nanos) {
    counts.getAndIncrement(Stripes.current() * rowLength + bucket(nanos));
    for (Timer timer : timers) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Gives every duration recorded from now on to {@code timer} too (once, however often it is
   * added). The same timer is the same object: two registries' timers of one guard are equal by id
   * but both are fed, so identity is the test.
   */
  @SuppressWarnings("ReferenceEquality")
  synchronized void publishTo(Timer timer) {
    Timer[] current = timers;
    for (Timer existing : current) {
      if (existing == timer) {
        return;
      }
    }
    Timer[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = timer;
    timers = grown;
  }

  /** The cumulative bucket counts at this moment. */
  long[] snapshot() {
    long[] sums = new long[BUCKETS];
    for (int stripe = 0; stripe < Stripes.COUNT; stripe++) {
      int row = stripe * rowLength;
      for (int i = 0; i < BUCKETS; i++) {
        sums[i] += counts.get(row + i);
      }
    }
    return sums;
  }

  static int bucket(long nanos) {
    if (nanos < SUBS) {
      return (int) Math.max(0, nanos);
    }
    int exponent = 63 - Long.numberOfLeadingZeros(nanos);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = (int) (nanos >>> (exponent - SUB_BITS)) & (SUBS - 1);
    return (exponent - SUB_BITS + 1) * SUBS + sub;
  }

  /** The largest duration that falls in {@code bucket}: percentiles err on the slow side. */
  static long upperBound(int bucket) {
    if (bucket < SUBS) {
      return bucket;
    }
    int exponent = bucket / SUBS + SUB_BITS - 1;
    int sub = bucket % SUBS;
    long base = 1L << exponent;
    long step = 1L << (exponent - SUB_BITS);
    return base + (sub + 1) * step - 1;
  }
}
