package dev.brownout.core.annotation;

import dev.brownout.core.RejectedCallException;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries the method (or each public method of the type), within a retry budget; the attributes are
 * those of {@link dev.brownout.core.RetryConfig}.
 *
 * <pre>{@code
 * @Retry(maxAttempts = 3, waitDuration = "50ms", maxDuration = "2s",
 *     retryOn = IOException.class, abortOn = FileNotFoundException.class)
 * public Profile profile(long id) throws IOException { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  int maxAttempts() default -1;

  /**
   * A fixed wait between attempts such as {@code "50ms"}; exponential backoff with jitter when
   * empty.
   */
  String waitDuration() default "";

  /**
   * No new attempt starts once this much time, such as {@code "2s"}, has passed since the first
   * attempt began, as in MicroProfile Fault Tolerance; no limit when empty. It does not stop an
   * attempt in flight: {@link Timeout#deadline} bounds the whole call.
   */
  String maxDuration() default "";

  /** Retries may be at most this share of calls (0 to 1). */
  double budgetRatio() default -1;

  int minRetriesPerSecond() default -1;

  /** Only these exception types are retried; every exception when empty. */
  Class<? extends Throwable>[] retryOn() default {};

  /**
   * These exception types (and their subtypes) are never retried, even when {@link #retryOn} covers
   * them, as in MicroProfile Fault Tolerance. Each must narrow {@link #retryOn}: a type that covers
   * a whole {@code retryOn} entry, or lies outside all of them, is refused when the code compiles.
   */
  Class<? extends Throwable>[] abortOn() default {};

  /**
   * Rejections of these types are retried, which otherwise never are: {@code retryOnRejection =
   * CallNotPermittedException.class} retries while the breaker is open, within {@link
   * #maxAttempts}, the budget, {@link #maxDuration} and the deadline. The configuration key {@code
   * retry.retryOnRejection} takes a comma-separated list of class names.
   */
  Class<? extends RejectedCallException>[] retryOnRejection() default {};
}
