package dev.brownout.core;

/**
 * A call that a policy refused to start: an open breaker, a full bulkhead, a degraded feature.
 *
 * <p>Rejections are expected under load, so they are cheap: stackless, and each policy throws one
 * instance it made in advance rather than allocating per rejection. Rejections are never retried.
 */
public abstract class RejectedCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String source;

  protected RejectedCallException(String source, String message) {
    super(message, null, false, false);
    this.source = source;
  }

  /** The name of the breaker, bulkhead or feature that rejected the call. */
  public String source() {
    return source;
  }
}
