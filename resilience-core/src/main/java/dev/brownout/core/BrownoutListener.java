package dev.brownout.core;

/**
 * Hears what a Brownout runtime's breakers and guards do. A listener that throws (an exception, an
 * {@code Error}, a checked exception thrown sneakily) is logged and ignored; it never breaks the
 * call it observes. Only a {@link VirtualMachineError} goes on, failing the call it interrupted.
 * Listeners run on the calling thread, so keep them short.
 */
public interface BrownoutListener {

  /** A breaker moved from one state to another (each transition is reported once). */
  default void onStateTransition(
      CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {}

  /**
   * A guard's own policy rejected a call without running it: its breaker, bulkhead, executor or
   * rate limiter (once per rejection). A nested guard's rejection that passes through is reported
   * by the nested guard only.
   */
  default void onRejected(String guard, RejectedCallException rejection) {}
}
