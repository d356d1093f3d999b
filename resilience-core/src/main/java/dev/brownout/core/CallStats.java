package dev.brownout.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-guard call counts and total durations by outcome. Striped adders: threads calling one guard do
 * not share a counter line, and the meter registry reads the sums only when it publishes. A guard
 * whose bulkhead counts its successes ({@link Bulkhead#releaseAfterSuccess}) adds them here only on
 * reading: its synchronous successes are not counted twice, and cost one atomic add fewer.
 */
final class CallStats {

  private final LongAdder[] counts = new LongAdder[Outcome.ALL.length];
  private final LongAdder[] nanos = new LongAdder[Outcome.ALL.length];
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

  void record(Outcome outcome, long elapsedNanos) {
    counts[outcome.index].increment();
    if (elapsedNanos > 0) {
      nanos[outcome.index].add(elapsedNanos);
    }
  }

  /** Adds the duration of a call counted elsewhere (by the bulkhead). */
  void recordDuration(Outcome outcome, long elapsedNanos) {
    if (elapsedNanos > 0) {
      nanos[outcome.index].add(elapsedNanos);
    }
  }

  long count(Outcome outcome) {
    long count = counts[outcome.index].sum();
    return outcome == Outcome.SUCCESS && successCounter != null ? count + successCounter.successes() : count;
  }

  double totalNanos(Outcome outcome) {
    return nanos[outcome.index].sum();
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
