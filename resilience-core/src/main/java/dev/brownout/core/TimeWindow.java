package dev.brownout.core;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The calls of the last {@code size} whole seconds of the ticker, bucketed per second as
 * Resilience4j buckets them per epoch second. Fast successes go to striped per-second cells; failed
 * and slow calls go to per-second buckets behind a lock, where rates are computed. The seconds are
 * read from the runtime's coarse clock ({@link CoarseClock}): a call is dated up to one tick (~1
 * ms) late, so a call in the last millisecond of a second may be counted in it rather than in the
 * next.
 */
final class TimeWindow extends ClassicWindow {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int size;
  private final int minimumCalls;
  private final Ticker ticker;
  private final SecondCells fastSuccesses;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * The latest second with a failed or slow call; while it is in the window, successes evaluate.
   */
  private volatile long lastBadSecond = Long.MIN_VALUE / 2;

  // Guarded by lock: per-second buckets of failed and slow calls, tagged with their second.
  private final long[] bucketSecond;
  private final int[] bucketBad;
  private final int[] bucketFailed;
  private final int[] bucketSlow;

  TimeWindow(CircuitBreakerConfig config, Ticker ticker) {
    super(config);
    this.size = config.slidingWindowSize();
    this.minimumCalls = config.minimumNumberOfCalls();
    this.ticker = ticker;
    this.fastSuccesses = new SecondCells(size);
    this.bucketSecond = new long[size];
    java.util.Arrays.fill(bucketSecond, Long.MIN_VALUE);
    this.bucketBad = new int[size];
    this.bucketFailed = new int[size];
    this.bucketSlow = new int[size];
  }

  @Override
  Rates record(int outcome) {
    long second = Math.floorDiv(ticker.read(), NANOS_PER_SECOND);
    if (outcome == 0) {
      fastSuccesses.add(second, 1);
      if (lastBadSecond > second - size) {
        return evaluate(second, 0);
      }
      return Rates.NOT_EVALUATED;
    }
    return evaluate(second, outcome);
  }

  private Rates evaluate(long second, int outcome) {
    lock.lock();
    try {
      if (outcome != 0) {
        int bucket = (int) Math.floorMod(second, (long) size);
        if (bucketSecond[bucket] != second) {
          bucketSecond[bucket] = second;
          bucketBad[bucket] = 0;
          bucketFailed[bucket] = 0;
          bucketSlow[bucket] = 0;
        }
        bucketBad[bucket]++;
        if ((outcome & FAILED) != 0) {
          bucketFailed[bucket]++;
        }
        if ((outcome & SLOW) != 0) {
          bucketSlow[bucket]++;
        }
        if (second > lastBadSecond) {
          lastBadSecond = second;
        }
      }
      long calls = fastSuccesses.sum(second);
      long failed = 0;
      long slow = 0;
      for (int i = 0; i < size; i++) {
        long age = second - bucketSecond[i];
        if (age >= 0 && age < size) {
          calls += bucketBad[i];
          failed += bucketFailed[i];
          slow += bucketSlow[i];
        }
      }
      return verdict(calls, failed, slow, minimumCalls);
    } finally {
      lock.unlock();
    }
  }
}
