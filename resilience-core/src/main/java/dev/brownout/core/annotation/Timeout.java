package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Frees the caller of the method (or of each public method of the type) after a duration: {@link
 * #value} bounds each attempt, {@link #deadline} the whole call with its retries and the waits
 * between them. Give one of them, or both.
 *
 * <pre>{@code
 * @Timeout(value = "300ms", deadline = "1s")
 * @Retry(maxAttempts = 3)
 * public Stock stock(String sku) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

  /**
   * The time for each attempt, such as {@code "300ms"}, {@code "2s"} or {@code "PT0.3S"}: a retry
   * gets it afresh. Configuration key {@code timeout.duration}.
   */
  String value() default "";

  /**
   * The time for the whole call, every attempt and every wait between them, such as {@code "1s"}
   * (see {@link dev.brownout.core.Guard.Builder#deadline}). Configuration key {@code
   * timeout.deadline}.
   */
  String deadline() default "";

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";
}
