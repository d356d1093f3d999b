package dev.brownout.migration;

import dev.brownout.core.Ticker;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

  /** Whether the mismatch line shows the values: only when the builder keeps values. */
  private final boolean logValues;

  /** The per-path counts of noise cancellation; null when the experiment has none. */
  final @Nullable Noise noise;

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
      long logIntervalNanos,
      boolean logValues,
      @Nullable Noise noise) {
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
    this.logValues = logValues;
    this.noise = noise;
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
        if (noise != null) {
          noise.compared(List.of(), null);
        }
        verdict = Verdict.MATCH;
        reason = "values are equal";
      } else {
        List<FieldDiff.Difference> differences = differences(controlValue, candidateValue);
        if (noise != null && differences != null) {
          noise.compared(differences, shown(controlValue, candidateValue));
        }
        String where = differences == null ? "" : where(differences);
        int rule = ignoredBy(controlValue, candidateValue);
        if (rule >= 0) {
          verdict = Verdict.IGNORED;
          reason = "values differ" + where + "; ignore rule " + (rule + 1) + " excused it";
        } else if (differences != null && onlyNoise(differences)) {
          verdict = Verdict.IGNORED;
          reason = "values differ only in noise" + where;
        } else {
          verdict = Verdict.MISMATCH;
          reason = "values differ" + where;
        }
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

  /**
   * Counts a noise sample: the old path's first value against its second. A compare or a walk that
   * throws loses the sample (and is counted as a compare failure).
   */
  void noiseSample(@Nullable T first, @Nullable T second) {
    Noise counts = Objects.requireNonNull(noise);
    Boolean equal = test(Hook.COMPARE, compare, first, second);
    List<FieldDiff.Difference> differences =
        Boolean.TRUE.equals(equal) ? List.of() : equal == null ? null : differences(first, second);
    if (differences == null) {
      counts.lost();
    } else {
      counts.sampled(differences, differences.isEmpty() ? null : shown(first, second));
    }
  }

  /** The field paths where the values differ; null when walking them threw (user code did). */
  private @Nullable List<FieldDiff.Difference> differences(@Nullable T a, @Nullable T b) {
    try {
      return FieldDiff.of(a, b);
    } catch (RuntimeException | Error e) {
      failed(Hook.COMPARE, e);
      return null;
    }
  }

  /** The differences of the cleaned values, for samples that keep values; else null. */
  private @Nullable List<FieldDiff.Difference> shown(@Nullable T a, @Nullable T b) {
    if (noise == null || !noise.keepsValues()) {
      return null;
    }
    return differences(cleaned(a), cleaned(b));
  }

  /** Whether every path where the values differ is known noise. */
  private boolean onlyNoise(List<FieldDiff.Difference> differences) {
    if (noise == null || differences.isEmpty()) {
      return false;
    }
    for (String path : FieldDiff.paths(differences)) {
      if (noise.finding(path) != ExperimentReport.Finding.NOISE) {
        return false;
      }
    }
    return true;
  }

  /** {@code " at comments[order], createdAt"}, the first few paths; empty for none. */
  private static String where(List<FieldDiff.Difference> differences) {
    if (differences.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder(" at ");
    int shown = 0;
    for (FieldDiff.Difference difference : differences) {
      if (shown == 3) {
        text.append(", and ").append(differences.size() - shown).append(" more");
        break;
      }
      text.append(shown == 0 ? "" : ", ").append(difference.at());
      shown++;
    }
    return text.toString();
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
      LOG.warn("experiment '{}': {}", name, mismatchText(result, unlogged));
    }
    return true;
  }

  /**
   * The mismatch line after the experiment's name: the reason (which names the differing paths),
   * the values (after {@code clean}) only when the experiment keeps values, as its report does, for
   * they may hold personal data; and the mismatches not logged since the last line.
   */
  String mismatchText(Result<T> result, long unlogged) {
    boolean values = logValues && result.controlError() == null && result.candidateError() == null;
    return "MISMATCH, "
        + result.reason()
        + (values
            ? "; control returned "
                + result.controlValue()
                + ", candidate returned "
                + result.candidateValue()
            : "")
        + (unlogged == 0 ? "" : "; " + unlogged + " more mismatches since the last line");
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getName() + (message == null ? "" : ": " + message);
  }
}
