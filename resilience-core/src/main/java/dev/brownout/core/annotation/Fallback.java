package dev.brownout.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the method that answers when the guarded method fails or is rejected. The fallback method
 * lives in the same class, takes the same parameters, optionally followed by the failure (of a type
 * that covers {@link #on()}), returns the same type and throws no checked exception the guarded
 * method does not declare. All of this is checked when the code compiles.
 *
 * <pre>{@code
 * @CircuitBreaker
 * @Fallback(method = "cachedQuote", on = {CallNotPermittedException.class, IOException.class})
 * public Quote quote(String item) throws IOException { ... }
 *
 * protected Quote cachedQuote(String item, Exception failure) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Fallback {

  /** The name of the fallback method. */
  String method();

  /** The failures the fallback handles (and their subtypes). */
  Class<? extends Throwable>[] on() default {Exception.class};

  /**
   * MicroProfile Fault Tolerance's name for {@link #on}, for code that moves over; set one of the
   * two.
   */
  Class<? extends Throwable>[] applyOn() default {};

  /**
   * Failures the fallback never handles, even when {@link #on} covers them: they reach the caller,
   * as in MicroProfile Fault Tolerance. Each must narrow {@code on}: a type that covers a whole
   * {@code on} entry, or lies outside all of them, is refused when the code compiles.
   */
  Class<? extends Throwable>[] skipOn() default {};
}
