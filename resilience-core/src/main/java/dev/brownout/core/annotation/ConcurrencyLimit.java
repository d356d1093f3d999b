package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds calls of the method (or of each public method of the type) to the runtime's adaptive
 * concurrency limiter of that name (see {@link dev.brownout.core.Limiter}): each attempt takes a
 * permit, and at the limit fails with {@link dev.brownout.core.ConcurrencyLimitedException}. The
 * runtime's limiter of that name is used; create it with its config ({@code brownout.limiter(name,
 * config)}) before the guarded class is wrapped, or it is created with the defaults.
 *
 * <pre>{@code
 * @ConcurrencyLimit(limiter = "inventory-db", partition = "checkout")
 * public Stock stock(String sku) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface ConcurrencyLimit {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  /** The runtime's limiter the calls share. */
  String limiter();

  /** The limiter's partition the calls belong to; none when empty. */
  String partition() default "";
}
