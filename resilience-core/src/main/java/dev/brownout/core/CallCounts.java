package dev.brownout.core;

/**
 * Cumulative call counts of one guard by outcome, read at one moment. Take two and subtract ({@link
 * #minus}) to get the calls of an interval, e.g. for an error-rate signal. Each call is counted
 * once; a call served by a fallback is counted by what made it fall back.
 *
 * @param success returned normally
 * @param failure threw, with no fallback for it
 * @param rejected refused by a breaker, a bulkhead, a rate limiter or another rejection, with no
 *     fallback for it
 * @param timeout timed out, with no fallback for it
 * @param degraded not run: the feature switch served a substitute or refused
 * @param fallbackAfterFailure served by a fallback after the call threw
 * @param fallbackAfterTimeout served by a fallback after the call timed out
 * @param fallbackAfterRejection served by a fallback after a rejection (an open breaker, a full
 *     bulkhead, a rate limit...)
 */
public record CallCounts(
    long success,
    long failure,
    long rejected,
    long timeout,
    long degraded,
    long fallbackAfterFailure,
    long fallbackAfterTimeout,
    long fallbackAfterRejection) {

  /** The calls served by a fallback, whatever made them fall back. */
  public long fallback() {
    return fallbackAfterFailure + fallbackAfterTimeout + fallbackAfterRejection;
  }

  /** Every call, whatever its outcome. */
  public long total() {
    return success + failure + rejected + timeout + degraded + fallback();
  }

  /** The calls between {@code earlier} and this reading. */
  public CallCounts minus(CallCounts earlier) {
    return new CallCounts(
        success - earlier.success,
        failure - earlier.failure,
        rejected - earlier.rejected,
        timeout - earlier.timeout,
        degraded - earlier.degraded,
        fallbackAfterFailure - earlier.fallbackAfterFailure,
        fallbackAfterTimeout - earlier.fallbackAfterTimeout,
        fallbackAfterRejection - earlier.fallbackAfterRejection);
  }

  /**
   * The share of calls that failed or timed out (fallbacks included: they stand for a failure), 0
   * with no calls.
   */
  public double errorRate() {
    long calls = total() - degraded;
    return calls <= 0 ? 0.0 : (double) (failure + timeout + fallback()) / calls;
  }
}
