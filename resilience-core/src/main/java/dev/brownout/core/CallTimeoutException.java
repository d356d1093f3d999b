package dev.brownout.core;

import java.time.Duration;

/**
 * Thrown to a caller whose call did not finish within the guard's timeout. The call itself has been
 * cancelled (interrupted, for a synchronous call) by then.
 */
public final class CallTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CallTimeoutException(String guard, Duration timeout) {
    super("guard '" + guard + "' timed out after " + timeout, null, false, false);
  }
}
