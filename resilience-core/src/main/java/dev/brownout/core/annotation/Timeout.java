package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Frees the caller of the method (or of each public method of the type) after a duration.
 *
 * <pre>{@code
 * @Timeout("300ms")
 * public Stock stock(String sku) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

  /** A duration such as {@code "300ms"}, {@code "2s"} or {@code "PT0.3S"}. */
  String value();

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";
}
