package dev.brownout.migration;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Experiment} made of one sampled call, as its publisher receives it: the verdict
 * and why, each path's value (after the experiment's {@code clean} function) or exception, and how
 * long each path took.
 *
 * <pre>{@code
 * .publisher(result -> {
 *   if (result.verdict() == Verdict.MISMATCH) {
 *     mismatches.add(result.controlValue() + " / " + result.candidateValue());
 *   }
 * })
 * }</pre>
 *
 * <p>The values are the ones published, never the ones compared: when {@code clean} is set they are
 * what it made of the returned values (null when it threw).
 *
 * @param <T> the type both paths return
 */
public final class Result<T> {

  private final String experiment;
  private final Verdict verdict;
  private final String reason;
  private final @Nullable T controlValue;
  private final @Nullable Throwable controlError;
  private final @Nullable T candidateValue;
  private final @Nullable Throwable candidateError;
  private final long controlNanos;
  private final long candidateNanos;
  private final Map<String, Object> context;

  @SuppressWarnings("TooManyParameters") // one constructor, called only by Judge
  Result(
      String experiment,
      Verdict verdict,
      String reason,
      @Nullable T controlValue,
      @Nullable Throwable controlError,
      @Nullable T candidateValue,
      @Nullable Throwable candidateError,
      long controlNanos,
      long candidateNanos,
      Map<String, Object> context) {
    this.experiment = experiment;
    this.verdict = verdict;
    this.reason = reason;
    this.controlValue = controlValue;
    this.controlError = controlError;
    this.candidateValue = candidateValue;
    this.candidateError = candidateError;
    this.controlNanos = controlNanos;
    this.candidateNanos = candidateNanos;
    this.context = context;
  }

  /** The experiment's name: the name of its feature. */
  public String experiment() {
    return experiment;
  }

  public Verdict verdict() {
    return verdict;
  }

  /** Why the verdict, in a sentence: {@code "values differ"}, {@code "lane ... is full"}... */
  public String reason() {
    return reason;
  }

  /** The old path's value, cleaned; null when it threw (or returned null). */
  public @Nullable T controlValue() {
    return controlValue;
  }

  /** The old path's exception (the one its caller got), or null. */
  public @Nullable Throwable controlError() {
    return controlError;
  }

  /** The new path's value, cleaned; null when it threw, timed out or did not run. */
  public @Nullable T candidateValue() {
    return candidateValue;
  }

  /** The new path's exception, or null. */
  public @Nullable Throwable candidateError() {
    return candidateError;
  }

  /** How long the old path took on the caller's thread, in nanoseconds. */
  public long controlNanos() {
    return controlNanos;
  }

  /**
   * How long the new path took, in nanoseconds: up to the timeout for {@link
   * Verdict#CANDIDATE_TIMEOUT}, {@code -1} for {@link Verdict#SKIPPED} (it did not run).
   */
  public long candidateNanos() {
    return candidateNanos;
  }

  /** The experiment's context, as given to its builder. */
  public Map<String, Object> context() {
    return context;
  }

  @Override
  public String toString() {
    return "Result["
        + experiment
        + ", "
        + verdict
        + ": "
        + reason
        + ", control "
        + controlNanos
        + " ns, candidate "
        + candidateNanos
        + " ns]";
  }
}
