package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds calls of the method (or of each public method of the type) to a rate; the attributes are
 * those of {@link dev.brownout.core.RateLimiterConfig}. A call over the rate fails with {@link
 * dev.brownout.core.RateLimitedException}, which says when to come back.
 *
 * <pre>{@code
 * @RateLimit(limit = 100, period = "1s")
 * public Quote quote(String symbol) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimit {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  /** The permits one period allows; 100 when unset. */
  int limit() default -1;

  /** A duration such as {@code "1s"}; one second when empty. */
  String period() default "";

  /** {@code SMOOTH} (the default), {@code FIXED_WINDOW} or {@code ROLLING_WINDOW}. */
  String kind() default "";

  /** The permits one call costs; 1 when unset. */
  int permitsPerCall() default -1;

  /** A duration such as {@code "50ms"}; zero (refuse at once) when empty. */
  String maxWaitDuration() default "";
}
