package dev.brownout.migration;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * Judges a shift's new path against its old path, look by look (see {@link ShiftCriteria}), and
 * keeps the decisions with their numbers.
 *
 * <p>Design notes. Why the same window and process: a shift's two paths then see the same traffic,
 * the same dependencies' weather and the same machine, so a difference between them is the new
 * path's; thresholds on the new path alone (a canary analysis's "error rate under 1%") roll back on
 * a bad hour for everyone and pass a regression that a good hour hides.
 *
 * <p>Errors. Each look tests H0: p_new ≤ p_old + margin against H1: p_new > p_old + margin with the
 * Agresti–Caffo adjusted rates ((errors + 1) / (calls + 2)), whose normal approximation holds for
 * rare errors and small counts where the plain one does not (zero errors would give a zero
 * variance). The significance alpha is spent over the step's planned looks by the O'Brien–Fleming
 * type spending function α(t) = 2 − 2Φ(z_{1−α/2} / √t), t the share of the looks taken: early
 * looks, on little data, get almost none of it, so that an early rollback needs overwhelming
 * evidence and the last look keeps most of the power. Each look is held to its own increment of α
 * (a union bound), so the chance of rolling back a new path that is no worse than the margin is at
 * most α per step, however the looks' data overlap; the exact group-sequential boundaries would be
 * a little less strict. The absolute ceiling needs no test: past it the new path is unusable.
 *
 * <p>Latency. A quantile ratio with a minimum difference (a 1.5× ratio of 2 ms against 3 ms is
 * noise to a user), over consecutive looks: one slow look is a hiccup, a few in a row are the code.
 *
 * <p>No data is no evidence: a look with too few calls on either path holds (it is not counted as a
 * look), and does not roll back on a rate; a deploy that routes nothing to the new path is not a
 * failure of the new path. One exception, for a gross failure: while the step gathers its calls,
 * once the old path has its {@code minCalls} and the new one at least {@value
 * #GROSS_FAILURE_MIN_CALLS}, the new path's failures are held to an exact binomial test against the
 * old path's worst plausible rate (the upper end of its 99.9% Wilson interval) plus the margin, and
 * a chance below {@value #GROSS_FAILURE_CHANCE} rolls back. A new path failing one call in five
 * against an old one at 0.5% is then rolled back within about 40 calls, instead of waiting for
 * {@code minCalls}; a quiet old path (few calls, a wide interval) allows so much that nothing but
 * failure on nearly every call rolls back. A rollback latches: the judge answers ROLLBACK until
 * {@link #resume()}.
 *
 * <p>Not thread-safe by itself: a shift calls it from one thread at a time (its check), under the
 * shift's lock.
 */
final class ShiftJudge {

  /**
   * How unlikely the new path's failures must be, under the old path's worst plausible rate plus
   * the margin, to roll back before the step has {@code minCalls} calls on each path.
   */
  static final double GROSS_FAILURE_CHANCE = 1e-6;

  /** The least calls of the new path a gross failure is judged on: a handful is an anecdote. */
  static final int GROSS_FAILURE_MIN_CALLS = 20;

  private static final double GROSS_FAILURE_Z = Normal.quantile(0.999);

  /** The decisions kept: enough for an operator to read the last hours of a shift. */
  static final int HISTORY = 256;

  private final ShiftCriteria criteria;
  private final double[] bounds;
  private final ArrayDeque<ShiftDecision> history = new ArrayDeque<>();

  private int step;
  private int look;
  private int strikes;
  private ShiftDecision rolledBack;

  ShiftJudge(ShiftCriteria criteria) {
    this.criteria = criteria;
    this.bounds = bounds(criteria.alpha(), criteria.looks());
  }

  /**
   * The z bound of each planned look: the normal quantile of one minus that look's increment of the
   * spending function.
   */
  static double[] bounds(double alpha, int looks) {
    double[] bounds = new double[looks];
    double zHalf = Normal.quantile(1 - alpha / 2);
    double spent = 0;
    for (int k = 1; k <= looks; k++) {
      double t = (double) k / looks;
      double total = 2 - 2 * Normal.cdf(zHalf / Math.sqrt(t));
      double increment = Math.max(total - spent, 1e-15);
      bounds[k - 1] = Normal.quantile(1 - increment);
      spent = total;
    }
    return bounds;
  }

  /** The decision on one look at the current step. */
  ShiftDecision judge(ShiftLook numbers) {
    if (rolledBack != null) {
      return rolledBack;
    }
    double newRate = rate(numbers.newErrors(), numbers.newCalls());
    double ratio = latencyRatio(numbers);
    if (numbers.oldCalls() < criteria.minCalls() || numbers.newCalls() < criteria.minCalls()) {
      double expected = grossFailureBound(numbers);
      if (numbers.oldCalls() >= criteria.minCalls()
          && numbers.newCalls() >= GROSS_FAILURE_MIN_CALLS
          && Normal.binomialUpperTail(numbers.newErrors(), numbers.newCalls(), expected)
              < GROSS_FAILURE_CHANCE) {
        return rollBack(
            String.format(
                Locale.ROOT,
                "gross failure: %d of %d calls failed, where at most %.4f of them should",
                numbers.newErrors(),
                numbers.newCalls(),
                expected),
            numbers,
            Double.NaN,
            Double.NaN);
      }
      return keep(
          ShiftDecision.Kind.HOLD,
          "not enough data: fewer than " + criteria.minCalls() + " calls on a path",
          numbers,
          Double.NaN,
          Double.NaN);
    }
    look++;
    double z = z(numbers);
    double bound = bounds[Math.min(look, bounds.length) - 1];
    if (newRate > criteria.errorCeiling()) {
      return rollBack(
          "error rate over the ceiling of " + criteria.errorCeiling(), numbers, z, bound);
    }
    if (z > bound) {
      return rollBack(
          "error rate worse than the old path's by more than " + criteria.errorMargin(),
          numbers,
          z,
          bound);
    }
    boolean slow =
        !Double.isNaN(ratio)
            && ratio > criteria.maxLatencyRatio()
            && numbers.newLatencyNanos() - numbers.oldLatencyNanos()
                >= criteria.minLatencyDelta().toNanos();
    strikes = slow ? strikes + 1 : 0;
    if (strikes >= criteria.latencyStrikes()) {
      return rollBack(
          "latency quantile "
              + criteria.latencyQuantile()
              + " over "
              + criteria.maxLatencyRatio()
              + " times the old path's at "
              + strikes
              + " looks in a row",
          numbers,
          z,
          bound);
    }
    if (look >= criteria.looks()) {
      ShiftDecision advance =
          keep(
              ShiftDecision.Kind.ADVANCE,
              "all " + criteria.looks() + " looks of the step passed",
              numbers,
              z,
              bound);
      step++;
      look = 0;
      strikes = 0;
      return advance;
    }
    return keep(
        ShiftDecision.Kind.CONTINUE,
        slow ? "slow at " + strikes + " look(s) in a row" : "no worse so far",
        numbers,
        z,
        bound);
  }

  /**
   * The worst error rate the new path may have before the step has its calls: the old path's rate
   * at the upper end of its 99.9% Wilson interval (so a quiet old path, with few calls, allows a
   * lot), plus the margin.
   */
  private double grossFailureBound(ShiftLook n) {
    return Math.min(
        1.0,
        Normal.wilsonUpper(n.oldErrors(), n.oldCalls(), GROSS_FAILURE_Z) + criteria.errorMargin());
  }

  /** Lifts a latched rollback: the shift starts its current step afresh. */
  void resume() {
    rolledBack = null;
    look = 0;
    strikes = 0;
  }

  boolean rolledBack() {
    return rolledBack != null;
  }

  /** The decisions so far, oldest first (at most {@value #HISTORY}). */
  List<ShiftDecision> history() {
    return List.copyOf(history);
  }

  /**
   * The test statistic: the adjusted difference of rates, less the margin, over its standard error.
   */
  private double z(ShiftLook n) {
    double pOld = (n.oldErrors() + 1.0) / (n.oldCalls() + 2.0);
    double pNew = (n.newErrors() + 1.0) / (n.newCalls() + 2.0);
    double se =
        Math.sqrt(
            pOld * (1 - pOld) / (n.oldCalls() + 2.0) + pNew * (1 - pNew) / (n.newCalls() + 2.0));
    return (pNew - pOld - criteria.errorMargin()) / se;
  }

  private ShiftDecision rollBack(String reason, ShiftLook n, double z, double bound) {
    rolledBack = keep(ShiftDecision.Kind.ROLLBACK, reason, n, z, bound);
    return rolledBack;
  }

  private ShiftDecision keep(
      ShiftDecision.Kind kind, String reason, ShiftLook n, double z, double bound) {
    ShiftDecision decision =
        new ShiftDecision(
            kind,
            reason,
            step,
            look,
            n.oldCalls(),
            n.newCalls(),
            rate(n.oldErrors(), n.oldCalls()),
            rate(n.newErrors(), n.newCalls()),
            z,
            bound,
            Duration.ofNanos(n.oldLatencyNanos()),
            Duration.ofNanos(n.newLatencyNanos()),
            latencyRatio(n));
    if (history.size() == HISTORY) {
      history.removeFirst();
    }
    history.addLast(decision);
    return decision;
  }

  /** The new path's latency quantile over the old one's; NaN when either is unknown. */
  private static double latencyRatio(ShiftLook n) {
    return n.oldLatencyNanos() > 0 && n.newLatencyNanos() > 0
        ? (double) n.newLatencyNanos() / n.oldLatencyNanos()
        : Double.NaN;
  }

  private static double rate(long errors, long calls) {
    return calls > 0 ? (double) errors / calls : 0;
  }
}
