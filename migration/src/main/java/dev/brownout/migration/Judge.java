package dev.brownout.migration;

import dev.brownout.core.Ticker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the outcomes of both paths of one call into a {@link Result}: the verdict, the meters, the
 * mismatch log line and the publisher. Every user hook it calls is fenced: one that throws is
 * counted under its name, logged the first time, and decides as documented on the builder; nothing
 * here throws to whoever called it (the candidate's worker, the timer, or the caller for a skip).
 */
final class Judge<T> {

  private static final Logger LOG = LoggerFactory.getLogger(Experiment.class);

  final String name;
  final ExperimentMeters meters;
  private final BiPredicate<? super @Nullable T, ? super @Nullable T> compare;
  private final BiPredicate<Throwable, Throwable> compareErrors;
  private final List<BiPredicate<? super @Nullable T, ? super @Nullable T>> ignores;
  private final @Nullable UnaryOperator<@Nullable T> clean;
  private final @Nullable Consumer<? super Result<T>> publisher;
  private final Map<String, Object> context;
  private final Ticker ticker;
  private final long logIntervalNanos;

  /** The hooks that have thrown at least once: each is logged once. */
  private final Set<Hook> loggedHooks = ConcurrentHashMap.newKeySet();

  /** When the next mismatch line may be written, on {@link #ticker}'s scale. */
  private final AtomicLong nextMismatchLine = new AtomicLong(Long.MIN_VALUE);

  private final AtomicLong unloggedMismatches = new AtomicLong();

  @SuppressWarnings("TooManyParameters") // the builder's settings, once per experiment
  Judge(
      String name,
      ExperimentMeters meters,
      BiPredicate<? super @Nullable T, ? super @Nullable T> compare,
      BiPredicate<Throwable, Throwable> compareErrors,
      List<BiPredicate<? super @Nullable T, ? super @Nullable T>> ignores,
      @Nullable UnaryOperator<@Nullable T> clean,
      @Nullable Consumer<? super Result<T>> publisher,
      Map<String, Object> context,
      Ticker ticker,
      long logIntervalNanos) {
    this.name = name;
    this.meters = meters;
    this.compare = compare;
    this.compareErrors = compareErrors;
    this.ignores = ignores;
    this.clean = clean;
    this.publisher = publisher;
    this.context = context;
    this.ticker = ticker;
    this.logIntervalNanos = logIntervalNanos;
  }

  /** The verdict on two paths that both ended, and what follows from it. */
  Result<T> judge(
      @Nullable T controlValue,
      @Nullable Throwable controlError,
      long controlNanos,
      @Nullable T candidateValue,
      @Nullable Throwable candidateError,
      long candidateNanos) {
    Verdict verdict;
    String reason;
    if (controlError == null && candidateError == null) {
      Boolean equal = test(Hook.COMPARE, compare, controlValue, candidateValue);
      if (equal == null) {
        verdict = Verdict.MISMATCH;
        reason = "compare threw, so the values were not shown equal";
      } else if (equal) {
        verdict = Verdict.MATCH;
        reason = "values are equal";
      } else {
        int rule = ignoredBy(controlValue, candidateValue);
        verdict = rule < 0 ? Verdict.MISMATCH : Verdict.IGNORED;
        reason =
            rule < 0 ? "values differ" : "values differ; ignore rule " + (rule + 1) + " excused it";
      }
    } else if (controlError == null) {
      verdict = Verdict.CANDIDATE_FAILED;
      reason = "candidate threw " + describe(candidateError);
    } else if (candidateError == null) {
      verdict = Verdict.MISMATCH;
      reason = "control threw " + describe(controlError) + ", candidate returned a value";
    } else {
      Boolean same = test(Hook.COMPARE_ERRORS, compareErrors, controlError, candidateError);
      if (Boolean.TRUE.equals(same)) {
        verdict = Verdict.MATCH;
        reason = "both threw " + controlError.getClass().getName();
      } else {
        verdict = Verdict.MISMATCH;
        reason =
            (same == null ? "compareErrors threw; " : "")
                + "control threw "
                + describe(controlError)
                + ", candidate threw "
                + describe(candidateError);
      }
    }
    return finish(
        verdict,
        reason,
        controlValue,
        controlError,
        controlNanos,
        candidateValue,
        candidateError,
        candidateNanos);
  }

  Result<T> timedOut(
      @Nullable T controlValue,
      @Nullable Throwable controlError,
      long controlNanos,
      long candidateNanos,
      long timeoutNanos) {
    return finish(
        Verdict.CANDIDATE_TIMEOUT,
        "candidate did not finish within " + java.time.Duration.ofNanos(timeoutNanos),
        controlValue,
        controlError,
        controlNanos,
        null,
        null,
        candidateNanos);
  }

  Result<T> skipped(
      @Nullable T controlValue, @Nullable Throwable controlError, long controlNanos, String why) {
    return finish(Verdict.SKIPPED, why, controlValue, controlError, controlNanos, null, null, -1L);
  }

  @SuppressWarnings("TooManyParameters")
  private Result<T> finish(
      Verdict verdict,
      String reason,
      @Nullable T controlValue,
      @Nullable Throwable controlError,
      long controlNanos,
      @Nullable T candidateValue,
      @Nullable Throwable candidateError,
      long candidateNanos) {
    meters.verdict(verdict);
    meters.control(controlNanos);
    if (candidateNanos >= 0) {
      meters.candidate(candidateNanos);
    }
    Result<T> result =
        new Result<>(
            name,
            verdict,
            reason,
            cleaned(controlValue),
            controlError,
            cleaned(candidateValue),
            candidateError,
            controlNanos,
            candidateNanos,
            context);
    if (verdict == Verdict.MISMATCH) {
      logMismatch(result);
    }
    if (publisher != null) {
      try {
        publisher.accept(result);
      } catch (RuntimeException | Error e) {
        failed(Hook.PUBLISHER, e);
      }
    }
    return result;
  }

  /** Whether {@code runIf} lets the candidate run; a condition that throws says no. */
  boolean admits(BooleanSupplier runIf) {
    try {
      return runIf.getAsBoolean();
    } catch (RuntimeException | Error e) {
      failed(Hook.RUN_IF, e);
      return false;
    }
  }

  private <A> @Nullable Boolean test(
      Hook hook, BiPredicate<? super A, ? super A> predicate, A control, A candidate) {
    try {
      return predicate.test(control, candidate);
    } catch (RuntimeException | Error e) {
      failed(hook, e);
      return null;
    }
  }

  /**
   * The index of the first ignore rule that excuses the pair, or -1; a rule that throws does not.
   */
  private int ignoredBy(@Nullable T control, @Nullable T candidate) {
    for (int i = 0; i < ignores.size(); i++) {
      if (Boolean.TRUE.equals(test(Hook.IGNORE, ignores.get(i), control, candidate))) {
        return i;
      }
    }
    return -1;
  }

  /** The published form of {@code value}; null, and counted, when {@code clean} throws. */
  private @Nullable T cleaned(@Nullable T value) {
    if (clean == null || value == null) {
      return value;
    }
    try {
      return clean.apply(value);
    } catch (RuntimeException | Error e) {
      failed(Hook.CLEAN, e);
      return null;
    }
  }

  void failed(Hook hook, Throwable e) {
    meters.hookFailed(hook);
    if (loggedHooks.add(hook)) {
      LOG.warn(
          "experiment '{}': its {} threw (logged once; counted in brownout.experiment.errors);"
              + " the caller was not affected",
          name,
          hook.tag,
          e);
    }
  }

  /**
   * One line per mismatch, at most one per interval: a steady mismatch rate would otherwise flood
   * the log with one line per sampled call. The lines in between are counted in the next one.
   */
  boolean logMismatch(Result<T> result) {
    long now = ticker.read();
    long next = nextMismatchLine.get();
    if ((next != Long.MIN_VALUE && now - next < 0)
        || !nextMismatchLine.compareAndSet(next, now + logIntervalNanos)) {
      unloggedMismatches.incrementAndGet();
      return false;
    }
    long unlogged = unloggedMismatches.getAndSet(0);
    if (LOG.isWarnEnabled()) {
      boolean values = result.controlError() == null && result.candidateError() == null;
      LOG.warn(
          "experiment '{}': MISMATCH, {}{}{}",
          name,
          result.reason(),
          values
              ? "; control returned "
                  + result.controlValue()
                  + ", candidate returned "
                  + result.candidateValue()
              : "",
          unlogged == 0 ? "" : "; " + unlogged + " more mismatches since the last line");
    }
    return true;
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
