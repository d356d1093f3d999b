package dev.brownout.core;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Bounds retries to a share of calls over a rolling window.
 *
 * <p>Design note. Counting every call into time buckets would put a clock read and a shared write
 * on the happy path. Instead the guard's call counter (striped, and kept anyway for metrics) is
 * read only when a retry is considered; once a second at most, a snapshot of (time, calls, retries)
 * is kept, and the window's calls are the difference from the snapshot a window ago. After a quiet
 * spell with no snapshot inside the window, the calls since the last one are scaled to the window's
 * length, so a long healthy period cannot bank a retry storm. Time is the runtime's coarse clock
 * ({@link CoarseClock}): a budget over seconds does not need the precise one.
 */
final class RetryBudget {

  static final long WINDOW_NANOS = 10_000_000_000L;
  private static final long SNAPSHOT_EVERY_NANOS = 1_000_000_000L;
  private static final int SNAPSHOTS = 12;

  private final double ratio;
  private final int minRetriesPerSecond;
  private final Ticker ticker;
  private final LongSupplier calls;
  private final LongAdder retries = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock: a ring of snapshots, oldest first from `first`.
  private final long[] snapshotTime = new long[SNAPSHOTS];
  private final long[] snapshotCalls = new long[SNAPSHOTS];
  private final long[] snapshotRetries = new long[SNAPSHOTS];
  private int first;
  private int count;

  RetryBudget(double ratio, int minRetriesPerSecond, Ticker ticker, LongSupplier calls) {
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.ticker = ticker;
    this.calls = calls;
    long now = ticker.read();
    snapshot(now, 0, 0);
  }

  /** Takes one retry from the budget if there is one left. */
  boolean tryWithdraw() {
    long now = ticker.read();
    lock.lock();
    try {
      long callsNow = calls.getAsLong();
      long retriesNow = retries.sum();
      int last = (first + count - 1) % SNAPSHOTS;
      if (now - snapshotTime[last] >= SNAPSHOT_EVERY_NANOS) {
        snapshot(now, callsNow, retriesNow);
      }
      int base = baseSnapshot(now);
      long span = Math.max(1, now - snapshotTime[base]);
      double scale = span > WINDOW_NANOS ? (double) WINDOW_NANOS / span : 1.0;
      double windowCalls = (callsNow - snapshotCalls[base]) * scale;
      double windowRetries = (retriesNow - snapshotRetries[base]) * scale;
      double seconds = Math.min(span, WINDOW_NANOS) / 1e9;
      double allowed = ratio * windowCalls + minRetriesPerSecond * Math.max(seconds, 1.0);
      if (windowRetries + 1 > allowed) {
        return false;
      }
      retries.increment();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The newest snapshot at least a window old, or the oldest there is. */
  private int baseSnapshot(long now) {
    int base = first;
    for (int i = 0; i < count; i++) {
      int index = (first + i) % SNAPSHOTS;
      if (now - snapshotTime[index] >= WINDOW_NANOS) {
        base = index;
      }
    }
    return base;
  }

  private void snapshot(long now, long callsNow, long retriesNow) {
    int index;
    if (count == SNAPSHOTS) {
      index = first;
      first = (first + 1) % SNAPSHOTS;
    } else {
      index = (first + count) % SNAPSHOTS;
      count++;
    }
    snapshotTime[index] = now;
    snapshotCalls[index] = callsNow;
    snapshotRetries[index] = retriesNow;
  }
}
