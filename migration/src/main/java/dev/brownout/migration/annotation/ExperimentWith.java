package dev.brownout.migration.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the method named by {@link #candidate()} beside the annotated one as an {@code Experiment}:
 * the caller always gets the annotated method's value or exception, and each sampled call's pair is
 * judged and counted ({@code brownout.experiment.*}). The candidate takes the same parameters,
 * returns the same type (or a subtype) and throws no checked exception the annotated method does
 * not declare.
 *
 * <pre>{@code
 * @ExperimentWith(candidate = "commentsV2", feature = "comments.v2-store", percent = 5)
 * List<Comment> comments(@ShiftKey long questionId);
 *
 * List<Comment> commentsV2(long questionId);
 * }</pre>
 *
 * <p>Calls are sampled by the parameter marked {@link ShiftKey}, if any (the same key is always in
 * or out), else at random. Comparison, ignore rules, cleaning and publishing are code, not
 * constants: an experiment that needs them is built with {@code Experiment.builder}. The generated
 * class gives the experiment out through a method named after the annotated one ({@code
 * commentsExperiment()} for {@code comments}), for its report.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface ExperimentWith {

  /** The method of the same type that is the new path. */
  String candidate();

  /**
   * The feature that samples the experiment and names it: dotted lower-case words such as {@code
   * comments.v2-store}. Created if no one defined it.
   */
  String feature();

  /**
   * The share of calls, in percent, that run the candidate when the generated class creates the
   * feature (default 100); a switch file or store sets it afterwards.
   */
  double percent() default 100;

  /** How long a candidate may run, as {@code 200ms}, {@code 1s} or ISO-8601 (default 1 s). */
  String timeout() default "";

  /**
   * The name of the runtime's executor that runs the candidates, created before the guarded class
   * ({@code brownout.executor("candidates", config)}); a candidate that finds it full is skipped,
   * never queued. Empty (the default): the runtime's shared experiment lane.
   */
  String lane() default "";

  /**
   * Runs the candidate on the caller's thread, after the old path (for tests and cheap candidates);
   * excludes {@link #lane()}.
   */
  boolean onCallerThread() default false;

  /**
   * The share of sampled calls, in (0, 1], that run the old path twice to tell noise from real
   * differences; 0 (the default) turns noise cancellation off.
   */
  double noise() default 0;
}
