package dev.brownout.core;

import java.util.Locale;

/**
 * Why a guarded call did not end with its own value, as counted by the {@code brownout.calls}
 * timer's {@code cause} tag. With the {@code outcome} tag (what the caller got) it says, for
 * example, that a fallback was served because the breaker was open.
 */
enum Cause {
  /** The call returned its value. */
  NONE(0),
  /** The call threw. */
  FAILURE(1),
  /** The attempt did not end within the guard's timeout. */
  TIMEOUT(2),
  /** A circuit breaker did not permit the call (this guard's or a nested guard's). */
  BREAKER_OPEN(3),
  /** A bulkhead or a thread-isolating executor had no room for the call. */
  BULKHEAD_FULL(4),
  /** Another rejection: a nested guard's feature switch. */
  REJECTED(5),
  /** Not run: the admission policy (a switched-off feature) served a substitute or refused. */
  DEGRADED(6),
  /** A rate limiter refused the call: it would have had to wait longer than the limiter allows. */
  RATE_LIMITED(7),
  /** An adaptive concurrency limiter refused the call: its limit of calls in flight was reached. */
  CONCURRENCY_LIMITED(8);

  static final Cause[] ALL = values();

  /** The slot of this cause in per-cause arrays. */
  final int index;

  final String tag = name().toLowerCase(Locale.ROOT);

  Cause(int index) {
    this.index = index;
  }

  /** The cause of a call that ended with {@code failure} thrown by its attempt. */
  static Cause ofFailure(Throwable failure) {
    return failure instanceof CallTimeoutException ? TIMEOUT : FAILURE;
  }

  /** The cause of a call that ended with {@code rejection}. */
  static Cause ofRejection(RejectedCallException rejection) {
    if (rejection instanceof CallNotPermittedException) {
      return BREAKER_OPEN;
    }
    if (rejection instanceof RateLimitedException) {
      return RATE_LIMITED;
    }
    if (rejection instanceof ConcurrencyLimitedException) {
      return CONCURRENCY_LIMITED;
    }
    return rejection instanceof BulkheadFullException ? BULKHEAD_FULL : REJECTED;
  }
}
