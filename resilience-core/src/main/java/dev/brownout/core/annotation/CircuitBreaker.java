package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the method (or every public method of the type) behind a classic circuit breaker; the
 * attributes are those of {@link dev.brownout.core.CircuitBreakerConfig}.
 *
 * <pre>{@code
 * @CircuitBreaker(failureRateThreshold = 50, slidingWindowSize = 20, waitDurationInOpenState = "30s")
 * public Quote quote(String item) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  float failureRateThreshold() default -1;

  float slowCallRateThreshold() default -1;

  /** A duration such as {@code "2s"}. */
  String slowCallDurationThreshold() default "";

  /** {@code "COUNT_BASED"} or {@code "TIME_BASED"}. */
  String slidingWindowType() default "";

  int slidingWindowSize() default -1;

  int minimumNumberOfCalls() default -1;

  /** A duration such as {@code "30s"}. */
  String waitDurationInOpenState() default "";

  int permittedNumberOfCallsInHalfOpenState() default -1;

  Class<? extends Throwable>[] recordExceptions() default {};

  Class<? extends Throwable>[] ignoreExceptions() default {};
}
