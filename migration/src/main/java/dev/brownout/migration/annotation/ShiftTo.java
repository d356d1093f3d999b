package dev.brownout.migration.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Moves the annotated method's calls to the method named by {@link #method()} through a {@code
 * Shift}: a sticky, growing share of keys takes the new method, step by step, rolled back by itself
 * when it is worse. The key is the parameter marked {@link ShiftKey}, or else the one parameter of
 * type {@code String}, {@code UUID}, {@code long}, {@code int}, {@code Long} or {@code Integer}
 * (with several, one must be marked).
 *
 * <pre>{@code
 * @ShiftTo(method = "commentsV2", name = "comments-backend", steps = {1, 10, 50, 100})
 * List<Comment> comments(long questionId);
 * }</pre>
 *
 * <p>The generated class builds the shift once, when it is constructed; the shift checks itself
 * every {@link #checkEvery()}, and an operator finds it by name ({@code Shift.find(brownout,
 * "comments-backend")}) to pause, resume or roll it back.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ShiftTo {

  /** The method of the same type that is the new path. */
  String method();

  /** The shift's name: lower-case words joined by hyphens, such as {@code comments-backend}. */
  String name();

  /** The shares of keys, in percent, each step routes to the new method: rising, up to 100. */
  double[] steps() default {1, 5, 10, 25, 50, 100};

  /** A new epoch orders keys afresh: other users go first. */
  int epoch() default 0;

  /** Whether a failed new method is followed by the old one (for reads: safe to do twice). */
  boolean fallBackToOld() default false;

  /** Starts with every key on the old path until a person starts the shift. */
  boolean compareFirst() default false;

  /**
   * How often the shift judges its new path and steps or rolls back (a duration such as {@code
   * 30s}); empty for no schedule, when the service calls {@code check()} itself.
   */
  String checkEvery() default "30s";
}
