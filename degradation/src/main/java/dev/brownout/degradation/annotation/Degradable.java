package dev.brownout.degradation.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts the method (or each public method of the type) behind a feature switch: while {@link
 * #feature()} is off for the call's arguments, the call is not made and the caller gets the
 * degradation strategy's substitute. The annotation form of {@code feature.degradeTo(strategy)} as
 * a guard's admission policy, checked when the code compiles.
 *
 * <pre>{@code
 * @Degradable(feature = "feed.recommendations", lastGood = true, fallback = "noRecommendations")
 * List<Item> recommendations(long userId);
 *
 * default List<Item> noRecommendations(long userId, String reason) { return List.of(); }
 * }</pre>
 *
 * <p>The strategy: with {@code lastGood}, the last successful result for the same arguments, else
 * the {@code fallback} method's value, else a {@code FeatureDegradedException}. The arguments are
 * the key: of a rollout (the same user stays in or out) and of the last-good cache.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Degradable {

  /** The guard's name; {@code <SimpleClassName>.<method>} when empty. */
  String name() default "";

  /** The feature's name: dotted lower-case words such as {@code feed.recommendations}. */
  String feature();

  /** Serve the last successful result for the same arguments while the feature is off. */
  boolean lastGood() default false;

  /** How many results the last-good cache keeps. */
  long lastGoodMaxEntries() default 10_000;

  /** How old a last-good result may be, as {@code 10m}, {@code 30s} or ISO-8601. */
  String lastGoodMaxAge() default "10m";

  /**
   * The method of the same type that gives the substitute (after the last good value, if any): it
   * returns the guarded method's type and takes the guarded method's parameters, optionally
   * followed by a {@code String} reason, or nothing; it throws no checked exception. Without it, a
   * degraded call without a last good value fails fast with {@code FeatureDegradedException}.
   */
  String fallback() default "";
}
