package dev.brownout.migration;

import java.time.Duration;
import java.util.Locale;

/**
 * A judge's decision at one look, with the numbers it was taken on: the step and the look within
 * it, the calls and error rates of both paths, the test statistic and the bound it was held to, the
 * latency quantile of both paths (zero while a path has no call) and their ratio.
 */
public record ShiftDecision(
    Kind kind,
    String reason,
    int step,
    int look,
    long oldCalls,
    long newCalls,
    double oldErrorRate,
    double newErrorRate,
    double z,
    double zBound,
    Duration oldLatency,
    Duration newLatency,
    double latencyRatio) {

  public enum Kind {
    /** Not enough data to judge: nothing changes, and nothing is rolled back. */
    HOLD,
    /** Judged and fine so far: the step goes on to its next look. */
    CONTINUE,
    /** The step's planned looks all passed: the share may grow to the next step. */
    ADVANCE,
    /** The new path is worse: every key goes back to the old path until a person resumes. */
    ROLLBACK
  }

  /** One line for logs and the decision history. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%s at step %d look %d: %s (old %d calls %.4f errors, new %d calls %.4f errors, z %.2f"
            + " against %.2f, latency %.1f ms vs %.1f ms: ratio %.2f)",
        kind,
        step,
        look,
        reason,
        oldCalls,
        oldErrorRate,
        newCalls,
        newErrorRate,
        z,
        zBound,
        oldLatency.toNanos() / 1e6,
        newLatency.toNanos() / 1e6,
        latencyRatio);
  }
}
