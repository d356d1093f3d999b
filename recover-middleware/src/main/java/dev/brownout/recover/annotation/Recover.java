package dev.brownout.recover.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a crash inside the method (or inside each public method of the type) an incident, logged
 * once and counted by the runtime's {@link dev.brownout.recover.Recover}, and gives the caller the
 * value of {@link #method()} instead of the throwable. It is the guard's outermost policy, the
 * annotation form of {@link dev.brownout.recover.Recover#policy}: rejections (an open breaker, a
 * full bulkhead) pass through, for a {@code @Fallback} to handle.
 *
 * <pre>{@code
 * @Recover(method = "noRecommendations")
 * List<Item> recommendations(long userId);
 *
 * default List<Item> noRecommendations(Incident incident) { return List.of(); }
 * }</pre>
 *
 * <p>A method that returns nothing needs no {@code method}: the crash is recorded and the call
 * returns. Everything is checked when the code compiles.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Recover {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  /** The place incidents are recorded at (their {@code place} tag); the guard's name when empty. */
  String place() default "";

  /**
   * The method of the same type that gives the caller's value for an incident: it returns the
   * guarded method's type, takes an {@link dev.brownout.recover.Incident} or nothing, and throws no
   * checked exception. Required unless the guarded method returns {@code void} (or a stage of
   * {@code Void}).
   */
  String method() default "";
}
