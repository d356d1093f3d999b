package dev.brownout.core;

/**
 * Thrown when an adaptive concurrency {@link Limiter} refuses a guarded call: as many calls are in
 * flight as its limit allows, and the call's partition has no guaranteed slot free. Like every
 * rejection it is stackless, one instance per guard, never a failure of the guard's breaker, and
 * seen by a fallback as a rejection.
 */
public final class ConcurrencyLimitedException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  private final String partition;

  ConcurrencyLimitedException(String limiter, String partition) {
    super(
        limiter,
        partition.isEmpty()
            ? "limiter '" + limiter + "' is at its limit"
            : "limiter '" + limiter + "' is at its limit for partition '" + partition + "'");
    this.partition = partition;
  }

  /** The partition of the refused call; empty for calls of no partition. */
  public String partition() {
    return partition;
  }
}
