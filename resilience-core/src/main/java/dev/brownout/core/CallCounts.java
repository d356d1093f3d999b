package dev.brownout.core;

/**
 * Cumulative call counts of one guard by outcome, read at one moment. Take two and subtract ({@link
 * #minus}) to get the calls of an interval, e.g. for an error-rate signal.
 *
 * @param success returned normally
 * @param failure threw, with no fallback for it
 * @param rejected refused by the breaker or bulkhead, with no fallback for it
 * @param fallback served by a fallback
 * @param timeout timed out, with no fallback for it
 * @param degraded not run: the feature switch served a substitute or refused
 */
public record CallCounts(long success, long failure, long rejected, long fallback, long timeout, long degraded) {

  /** Every call, whatever its outcome. */
  public long total() {
    return success + failure + rejected + fallback + timeout + degraded;
  }

  /** The calls between {@code earlier} and this reading. */
  public CallCounts minus(CallCounts earlier) {
    return new CallCounts(
        success - earlier.success,
        failure - earlier.failure,
        rejected - earlier.rejected,
        fallback - earlier.fallback,
        timeout - earlier.timeout,
        degraded - earlier.degraded);
  }

  /** The share of calls that failed or timed out (fallbacks included: they stand for a failure), 0 with no calls. */
  public double errorRate() {
    long calls = total() - degraded;
    return calls <= 0 ? 0.0 : (double) (failure + timeout + fallback) / calls;
  }
}
