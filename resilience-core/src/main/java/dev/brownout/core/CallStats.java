package dev.brownout.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-guard call counts and total durations by outcome and cause. Striped adders: threads calling one guard do not share a counter line, and the meter
 * registry reads the sums only when it publishes. A guard whose bulkhead counts its successes ({@link
 * Bulkhead#releaseAfterSuccess}) adds them here only on reading: its synchronous successes are not
 * counted twice, and cost one atomic add fewer. Keyed guards share one instance per family.
 *
 * <p>Every call is counted once, when it ends, in the slot of its (outcome, cause) pair.
 */
final class CallStats {

  private static final int CAUSES = Cause.ALL.length;

  private final LongAdder[] counts = new LongAdder[Outcome.ALL.length * CAUSES];
  private final LongAdder[] nanos = new LongAdder[counts.length];
  private final Bulkhead successCounter;

  /** Counts for a guard that counts every success here. */
  CallStats() {
    this(null);
  }

  /** Counts for a guard whose {@code successCounter} (if not null) also counts some of its successes. */
  CallStats(Bulkhead successCounter) {
    this.successCounter = successCounter;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
      nanos[i] = new LongAdder();
    }
  }

  private static int slot(Outcome outcome, Cause cause) {
    return outcome.index * CAUSES + cause.index;
  }

  void record(Outcome outcome, Cause cause, long elapsedNanos) {
    int slot = slot(outcome, cause);
    counts[slot].increment();
    if (elapsedNanos > 0) {
      nanos[slot].add(elapsedNanos);
    }
  }

  /** Adds the duration of a success counted elsewhere (by the bulkhead). */
  void recordSuccessDuration(long elapsedNanos) {
    if (elapsedNanos > 0) {
      nanos[slot(Outcome.SUCCESS, Cause.NONE)].add(elapsedNanos);
    }
  }

  long count(Outcome outcome, Cause cause) {
    long count = counts[slot(outcome, cause)].sum();
    return outcome == Outcome.SUCCESS && successCounter != null ? count + successCounter.successes() : count;
  }

  double totalNanos(Outcome outcome, Cause cause) {
    return nanos[slot(outcome, cause)].sum();
  }

  long count(Outcome outcome) {
    long sum = 0;
    for (Cause cause : outcome.causes) {
      sum += count(outcome, cause);
    }
    return sum;
  }

  /** The calls that fell back because of {@code causes}. */
  long fallbacks(Cause... causes) {
    long sum = 0;
    for (Cause cause : causes) {
      sum += count(Outcome.FALLBACK, cause);
    }
    return sum;
  }

  /** All calls so far, whatever their outcome. */
  long calls() {
    long sum = 0;
    for (Outcome outcome : Outcome.ALL) {
      sum += count(outcome);
    }
    return sum;
  }
}
