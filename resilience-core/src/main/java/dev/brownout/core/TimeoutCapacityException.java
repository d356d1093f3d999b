package dev.brownout.core;

/**
 * Thrown when a synchronous call with a timeout finds every timeout thread of its runtime busy
 * ({@link Brownout.Builder#maxTimeoutThreads}): a rejection like a full bulkhead, never retried and
 * never a failure of the dependency. {@link #source()} names the guard.
 */
public final class TimeoutCapacityException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  TimeoutCapacityException(String guard) {
    super(guard, "guard '" + guard + "' found no free timeout thread (brownout.maxTimeoutThreads reached)");
  }
}
