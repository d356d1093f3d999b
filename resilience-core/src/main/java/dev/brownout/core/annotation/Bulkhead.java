package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Limits how many calls of the method (or of each public method of the type) run at once; the
 * attributes are those of {@link dev.brownout.core.BulkheadConfig}.
 *
 * <pre>{@code
 * @Bulkhead(maxConcurrentCalls = 10)
 * public Report render(long id) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  int maxConcurrentCalls() default -1;

  /** A duration such as {@code "50ms"}; zero (no wait) when empty. */
  String maxWaitDuration() default "";
}
