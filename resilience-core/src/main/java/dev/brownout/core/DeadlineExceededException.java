package dev.brownout.core;

import java.time.Duration;

/**
 * Thrown to a caller whose call reached the guard's deadline: the time for the whole call, every
 * attempt and every wait between them ({@link Guard.Builder#deadline}), where the timeout bounds
 * one attempt. The attempt in flight at the deadline has been cancelled; a retry whose wait would
 * end past the deadline is not waited for. Its cause is the failure of the last attempt, if there
 * was one before the deadline.
 *
 * <pre>{@code
 * try {
 *   return orders.call(() -> client.place(order));
 * } catch (DeadlineExceededException e) {
 *   // the whole call, with its retries, took too long; e.getCause() is the last attempt's failure
 * }
 * }</pre>
 *
 * <p>A {@link CallTimeoutException}: a {@code catch} or a fallback for timeouts covers it too.
 */
public final class DeadlineExceededException extends CallTimeoutException {

  private static final long serialVersionUID = 1L;

  /**
   * The guard whose deadline this is: its own deadline is never retried, a nested guard's may be.
   */
  private final transient GuardCore guard;

  DeadlineExceededException(
      GuardCore guard, String name, Duration deadline, String when, Throwable cause) {
    super(
        "guard '" + name + "' reached the deadline of the whole call (" + deadline + ") " + when,
        cause);
    this.guard = guard;
  }

  /** Whether {@code core}'s deadline ended the call. */
  boolean raisedBy(GuardCore core) {
    return guard == core;
  }
}
