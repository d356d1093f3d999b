package dev.brownout.core;

/**
 * The recent calls of a classic breaker and the rates over them.
 *
 * <p>Design note. Resilience4j keeps one ring of outcomes behind a lock, so every call takes that
 * lock. Here the common call, a fast success, only bumps a striped counter; failures and slow calls
 * (the rare case while a dependency is healthy) go to a small log behind a lock, where the rates
 * are computed. A success needs the lock only while it could change the verdict: while failures are
 * in the window and the minimum number of calls has not been reached (count window), or while
 * failures are in the window at all (time window, where old calls expire between records).
 * Single-threaded, the decisions are exactly Resilience4j's; concurrently, calls are ordered as
 * their records reach the counters, which is as good an order as a lock's.
 */
abstract class ClassicWindow {

  /** The largest window: positions and counts are packed into 20-bit fields and ints. */
  static final int MAX_SIZE = 1 << 20;

  /** The outcome of evaluating the window after a record. */
  enum Rates {
    /** The record could not change the verdict, so nothing was computed. */
    NOT_EVALUATED,
    BELOW_MINIMUM_CALLS,
    BELOW_THRESHOLDS,
    FAILURE_RATE_EXCEEDED,
    SLOW_CALL_RATE_EXCEEDED,
    BOTH_EXCEEDED;

    boolean exceeded() {
      return this == FAILURE_RATE_EXCEEDED
          || this == SLOW_CALL_RATE_EXCEEDED
          || this == BOTH_EXCEEDED;
    }
  }

  static final int FAILED = 1;
  static final int SLOW = 2;

  private final float failureRateThreshold;
  private final float slowCallRateThreshold;

  ClassicWindow(CircuitBreakerConfig config) {
    this.failureRateThreshold = config.failureRateThreshold();
    this.slowCallRateThreshold = config.slowCallRateThreshold();
  }

  /** Records one call: {@code outcome} is 0 for a fast success, else a mix of FAILED and SLOW. */
  abstract Rates record(int outcome);

  /** Resilience4j's verdict, computed the same way (float percentages, {@code >=} thresholds). */
  final Rates verdict(long calls, long failed, long slow, long minimumCalls) {
    if (calls == 0 || calls < minimumCalls) {
      return Rates.BELOW_MINIMUM_CALLS;
    }
    float failureRate = failed * 100.0f / calls;
    float slowRate = slow * 100.0f / calls;
    boolean failures = failureRate >= failureRateThreshold;
    boolean slowCalls = slowRate >= slowCallRateThreshold;
    if (failures && slowCalls) {
      return Rates.BOTH_EXCEEDED;
    }
    if (failures) {
      return Rates.FAILURE_RATE_EXCEEDED;
    }
    return slowCalls ? Rates.SLOW_CALL_RATE_EXCEEDED : Rates.BELOW_THRESHOLDS;
  }
}
