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

  /** A guard rejected a call without running it (breaker open, bulkhead full, and so on). */
  default void onRejected(String guard, RejectedCallException rejection) {}
}
