package dev.brownout.core;

import java.time.Duration;

/**
 * Thrown to a caller whose call did not finish in time: an attempt that outlived the guard's
 * timeout (which bounds one attempt), or, as the subtype {@link DeadlineExceededException}, a call
 * that reached the deadline of the whole call. The attempt in flight has been cancelled
 * (interrupted, for a synchronous call) by then. Both are counted as timeouts and offered to a
 * fallback as timeouts.
 */
public sealed class CallTimeoutException extends RuntimeException
    permits DeadlineExceededException {

  private static final long serialVersionUID = 1L;

  CallTimeoutException(String guard, Duration timeout) {
    this("guard '" + guard + "' timed out after " + timeout, (Throwable) null);
  }

  CallTimeoutException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
