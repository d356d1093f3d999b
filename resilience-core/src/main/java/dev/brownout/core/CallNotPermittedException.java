package dev.brownout.core;

/** Thrown when a circuit breaker does not permit a call (OPEN, FORCED_OPEN, or throttling). */
public final class CallNotPermittedException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  CallNotPermittedException(String breaker) {
    super(breaker, "circuit breaker '" + breaker + "' does not permit calls");
  }
}
