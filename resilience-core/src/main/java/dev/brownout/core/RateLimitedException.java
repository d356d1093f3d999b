package dev.brownout.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a rate limiter refuses a call: the call would have had to wait longer than the
 * limiter's {@link RateLimiterConfig#maxWaitDuration()} for its turn. {@link #retryAfter()} says
 * when a call would be admitted without waiting, as of the refusal (for an HTTP {@code Retry-After}
 * header, round it up to whole seconds).
 *
 * <p>Like every rejection it is stackless; unlike most it is made per refusal, since it carries its
 * own retry time.
 */
public final class RateLimitedException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  private final long retryAfterNanos;

  /**
   * The rate limiter that refused: how its guard tells its own refusals (which it reports to
   * listeners) from a nested guard's passing through. Each refusal is a new exception, since it
   * carries its own retry time, so identity with one shared instance cannot tell.
   */
  final transient @Nullable Object origin;

  RateLimitedException(String rateLimiter, long retryAfterNanos, @Nullable Object origin) {
    super(rateLimiter, null);
    this.retryAfterNanos = retryAfterNanos;
    this.origin = origin;
  }

  /**
   * How long after the refusal a call would be admitted without waiting, if no other call came
   * first.
   */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  /**
   * {@link #retryAfter()} in whole seconds, rounded up, as an HTTP {@code Retry-After} header wants
   * it.
   */
  public long retryAfterSeconds() {
    return (retryAfterNanos + 999_999_999L) / 1_000_000_000L;
  }

  @Override
  public String getMessage() {
    return "rate limiter '" + source() + "' is at its limit; retry after " + retryAfter();
  }
}
