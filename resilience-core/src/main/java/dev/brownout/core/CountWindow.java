package dev.brownout.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last {@code size} calls. Fast successes are only counted (striped); failed and slow calls are
 * logged with their position in the sequence of calls, and a position older than {@code size} calls
 * has left the window.
 *
 * <p>Once the window holds nothing but fast successes it goes <em>quiet</em>: a success then costs
 * one volatile read and is not even counted, since a window full of successes stays full of
 * successes. The first failed or slow call ends the quiet spell as if the window held {@code size}
 * successes before it, which is exactly what it held. Going quiet is checked on about one success
 * in 64 (a thread-local random draw), so a healthy window settles within a few dozen calls of its
 * last failure leaving.
 */
final class CountWindow extends ClassicWindow {

  private final int size;
  private final int minimumCalls;
  private final boolean evaluateEverySuccess;
  private final LongAdder fastSuccesses = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();

  /** Set once a failed or slow call has been recorded; before that a success never evaluates. */
  private volatile boolean anyBad;

  /**
   * Set once the window has seen its minimum number of calls; from then on successes never trip.
   */
  private volatile boolean minimumReached;

  /**
   * The window is full and holds only fast successes: a success changes nothing, not even a count.
   */
  private volatile boolean quiet;

  // Guarded by lock: a ring of (position << 2 | outcome) for the failed and slow calls in the
  // window.
  private long[] log = new long[8];
  private int head;
  private int logged;
  private long badCalls;
  private long uncounted;
  private int failedInWindow;
  private int slowInWindow;

  /**
   * A window over {@code size} calls needing {@code minimumCalls} before rates count; {@code
   * evaluateEverySuccess} is for HALF_OPEN, where an all-success window must report that it is
   * below the thresholds.
   */
  CountWindow(
      CircuitBreakerConfig config, int size, int minimumCalls, boolean evaluateEverySuccess) {
    super(config);
    this.size = size;
    this.minimumCalls = Math.min(minimumCalls, size);
    this.evaluateEverySuccess = evaluateEverySuccess;
  }

  @Override
  Rates record(int outcome) {
    if (outcome == 0) {
      if (quiet) {
        return Rates.NOT_EVALUATED;
      }
      fastSuccesses.increment();
      if (evaluateEverySuccess || (anyBad && !minimumReached)) {
        return evaluate(0);
      }
      if ((ThreadLocalRandom.current().nextInt() & 63) == 0) {
        tryToQuieten();
      }
      return Rates.NOT_EVALUATED;
    }
    return evaluate(outcome);
  }

  /** Whether successes currently go uncounted (for tests of the quiet spell). */
  boolean isQuiet() {
    return quiet;
  }

  private void tryToQuieten() {
    if (evaluateEverySuccess || !lock.tryLock()) {
      return;
    }
    try {
      long calls = uncounted + fastSuccesses.sum() + badCalls;
      dropBefore(calls - size);
      if (logged == 0 && calls >= size) {
        quiet = true;
      }
    } finally {
      lock.unlock();
    }
  }

  private Rates evaluate(int outcome) {
    lock.lock();
    try {
      if (quiet) {
        // The window held `size` fast successes, however many went by uncounted.
        quiet = false;
        uncounted = size - fastSuccesses.sum() - badCalls;
      }
      long calls = uncounted + fastSuccesses.sum() + badCalls + (outcome == 0 ? 0 : 1);
      dropBefore(calls - size);
      if (outcome != 0) {
        append(calls - 1, outcome);
        badCalls++;
        anyBad = true;
      }
      if (calls >= minimumCalls) {
        minimumReached = true;
      }
      return verdict(Math.min(calls, size), failedInWindow, slowInWindow, minimumCalls);
    } finally {
      lock.unlock();
    }
  }

  private void append(long position, int outcome) {
    if (logged == log.length) {
      long[] grown = new long[Math.min(Math.max(8, log.length * 2), Math.max(size, 8))];
      for (int i = 0; i < logged; i++) {
        grown[i] = log[(head + i) % log.length];
      }
      log = grown;
      head = 0;
    }
    log[(head + logged) % log.length] = position << 2 | outcome;
    logged++;
    count(outcome, 1);
  }

  private void dropBefore(long firstPosition) {
    while (logged > 0 && (log[head] >> 2) < firstPosition) {
      count((int) (log[head] & 3), -1);
      head = (head + 1) % log.length;
      logged--;
    }
  }

  private void count(int outcome, int delta) {
    if ((outcome & FAILED) != 0) {
      failedInWindow += delta;
    }
    if ((outcome & SLOW) != 0) {
      slowInWindow += delta;
    }
  }
}
