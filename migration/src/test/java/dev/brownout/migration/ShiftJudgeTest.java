package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The shift's judge: no data holds and never rolls back; a new path no worse than the margin is
 * rolled back at most at the significance level, over many simulated steps; a clearly worse one is
 * rolled back nearly always, and late looks hold most of the power; latency rolls back only at
 * consecutive slow looks; a rollback latches until resumed; every decision is kept with its
 * numbers.
 */
class ShiftJudgeTest {

  private static final ShiftCriteria CRITERIA = ShiftCriteria.defaults();
  private static final long MS = 1_000_000L;

  /** One step of {@code looks} looks, each adding {@code perLook} calls a path (cumulative). */
  private static ShiftDecision.Kind step(
      ShiftJudge judge, SplittableRandom random, double pOld, double pNew, int perLook) {
    long oldErrors = 0;
    long newErrors = 0;
    for (int look = 1; look <= CRITERIA.looks(); look++) {
      oldErrors += binomial(random, perLook, pOld);
      newErrors += binomial(random, perLook, pNew);
      long calls = (long) look * perLook;
      ShiftDecision decision =
          judge.judge(new ShiftLook(calls, oldErrors, 10 * MS, calls, newErrors, 10 * MS));
      if (decision.kind() == ShiftDecision.Kind.ROLLBACK
          || decision.kind() == ShiftDecision.Kind.ADVANCE) {
        return decision.kind();
      }
    }
    throw new AssertionError("a step ends in ADVANCE or ROLLBACK by its last look");
  }

  private static long binomial(SplittableRandom random, int n, double p) {
    long k = 0;
    for (int i = 0; i < n; i++) {
      k += random.nextDouble() < p ? 1 : 0;
    }
    return k;
  }

  @Test
  void notEnoughDataHoldsAndNeverRollsBack() {
    ShiftJudge judge = new ShiftJudge(CRITERIA);
    for (int i = 0; i < 50; i++) {
      ShiftDecision decision = judge.judge(new ShiftLook(1_000, 0, 10 * MS, 199, 6, 900 * MS));
      assertThat(decision.kind()).isEqualTo(ShiftDecision.Kind.HOLD);
      assertThat(decision.reason()).contains("not enough data");
    }
    assertThat(judge.judge(new ShiftLook(0, 0, 0, 0, 0, 0)).kind())
        .isEqualTo(ShiftDecision.Kind.HOLD);
    // A quiet old path: its rate is unknown, so even a new path failing every call holds.
    assertThat(judge.judge(new ShiftLook(150, 0, 10 * MS, 150, 150, 10 * MS)).kind())
        .isEqualTo(ShiftDecision.Kind.HOLD);
    // Too few calls of the new path to judge even a gross failure.
    assertThat(judge.judge(new ShiftLook(5_000, 0, 10 * MS, 19, 19, 10 * MS)).kind())
        .isEqualTo(ShiftDecision.Kind.HOLD);
    assertThat(judge.rolledBack()).isFalse();
  }

  @Test
  void aNewPathNoWorseThanTheMarginIsRolledBackAtMostAtTheSignificanceLevel() {
    SplittableRandom random = new SplittableRandom(2026);
    int steps = 1_000;
    int rolledBack = 0;
    for (int i = 0; i < steps; i++) {
      double p = 0.001 + random.nextDouble() * 0.1;
      // the worst case the test allows: worse by exactly the margin
      if (step(new ShiftJudge(CRITERIA), random, p, p + CRITERIA.errorMargin(), 400)
          == ShiftDecision.Kind.ROLLBACK) {
        rolledBack++;
      }
    }
    double sigma = Math.sqrt(CRITERIA.alpha() * (1 - CRITERIA.alpha()) / steps);
    assertThat((double) rolledBack / steps)
        .as("false rollbacks of %d steps", steps)
        .isLessThanOrEqualTo(CRITERIA.alpha() + 3 * sigma);
  }

  @Test
  void aClearlyWorseNewPathIsRolledBackNearlyAlways() {
    SplittableRandom random = new SplittableRandom(7);
    int steps = 300;
    int rolledBack = 0;
    for (int i = 0; i < steps; i++) {
      double p = 0.001 + random.nextDouble() * 0.05;
      if (step(new ShiftJudge(CRITERIA), random, p, p + 0.04, 400) == ShiftDecision.Kind.ROLLBACK) {
        rolledBack++;
      }
    }
    assertThat((double) rolledBack / steps).isGreaterThanOrEqualTo(0.95);
  }

  @Test
  void theSignificanceIsSpentMostlyOnLateLooks() {
    double[] bounds = ShiftJudge.bounds(0.05, 5);
    assertThat(bounds[0]).as("first look").isGreaterThan(4);
    for (int k = 1; k < bounds.length; k++) {
      assertThat(bounds[k]).as("look %d", k + 1).isLessThan(bounds[k - 1]);
    }
    assertThat(bounds[4]).as("last look").isBetween(1.9, 2.4);
    assertThat(ShiftJudge.bounds(0.05, 1)[0])
        .isCloseTo(1.645, org.assertj.core.api.Assertions.within(0.001));
  }

  @Test
  void latencyRollsBackOnlyAtConsecutiveSlowLooks() {
    ShiftJudge judge = new ShiftJudge(CRITERIA);
    ShiftLook slow = new ShiftLook(1_000, 5, 40 * MS, 1_000, 5, 80 * MS);
    ShiftLook fine = new ShiftLook(1_000, 5, 40 * MS, 1_000, 5, 45 * MS);
    ShiftLook slowButClose = new ShiftLook(1_000, 5, 2 * MS, 1_000, 5, 6 * MS);

    assertThat(judge.judge(slow).kind()).isEqualTo(ShiftDecision.Kind.CONTINUE);
    assertThat(judge.judge(slow).kind()).isEqualTo(ShiftDecision.Kind.CONTINUE);
    assertThat(judge.judge(fine).kind())
        .as("a fine look resets")
        .isEqualTo(ShiftDecision.Kind.CONTINUE);
    assertThat(judge.judge(slowButClose).kind())
        .as("3x but 4 ms: under the minimum delta")
        .isEqualTo(ShiftDecision.Kind.CONTINUE);
    assertThat(judge.judge(slow).kind())
        .as("one slow look after")
        .isEqualTo(ShiftDecision.Kind.ADVANCE);
    ShiftJudge next = new ShiftJudge(CRITERIA);
    next.judge(slow);
    next.judge(slow);
    ShiftDecision third = next.judge(slow);
    assertThat(third.kind()).isEqualTo(ShiftDecision.Kind.ROLLBACK);
    assertThat(third.reason()).contains("3 looks in a row");
    assertThat(third.latencyRatio()).isEqualTo(2.0);
    assertThat(third.oldLatency()).isEqualTo(Duration.ofMillis(40));
    assertThat(third.newLatency()).isEqualTo(Duration.ofMillis(80));
    assertThat(third.describe()).contains("latency 40.0 ms vs 80.0 ms: ratio 2.00");
  }

  @Test
  void aRollbackLatchesUntilResumedAndEveryDecisionIsKept() {
    ShiftJudge judge = new ShiftJudge(CRITERIA);
    ShiftDecision ceiling = judge.judge(new ShiftLook(1_000, 300, 10 * MS, 1_000, 300, 10 * MS));
    assertThat(ceiling.kind())
        .as("30%% errors on both: over the ceiling")
        .isEqualTo(ShiftDecision.Kind.ROLLBACK);
    assertThat(ceiling.reason()).contains("ceiling");

    ShiftDecision latched = judge.judge(new ShiftLook(1_000, 0, 10 * MS, 1_000, 0, 10 * MS));
    assertThat(latched).isSameAs(ceiling);
    judge.resume();
    assertThat(judge.judge(new ShiftLook(1_000, 0, 10 * MS, 1_000, 0, 10 * MS)).kind())
        .isEqualTo(ShiftDecision.Kind.CONTINUE);
    assertThat(judge.history())
        .extracting(ShiftDecision::kind)
        .containsExactly(ShiftDecision.Kind.ROLLBACK, ShiftDecision.Kind.CONTINUE);
    assertThat(ceiling.describe())
        .contains("ROLLBACK at step 0 look 1", "old 1000 calls 0.3000 errors", "z ");
  }

  @Test
  void badCriteriaNameTheSetting() {
    assertThatThrownBy(() -> new ShiftCriteria(0.01, 0.7, 5, 0.2, 0.99, 1.5, Duration.ZERO, 3, 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shift.alpha must be in (0, 0.5), but was 0.7");
    assertThatThrownBy(
            () -> new ShiftCriteria(0.01, 0.05, 0, 0.2, 0.99, 1.5, Duration.ZERO, 3, 200))
        .hasMessage("shift.looks must be at least 1, but was 0");
  }
}
