package dev.brownout.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-guard call counts and total durations by outcome. Striped adders: threads calling one guard do
 * not share a counter line, and the meter registry reads the sums only when it publishes.
 */
final class CallStats {

  private final LongAdder[] counts = new LongAdder[Outcome.ALL.length];
  private final LongAdder[] nanos = new LongAdder[Outcome.ALL.length];

  CallStats() {
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

  long count(Outcome outcome) {
    return counts[outcome.index].sum();
  }

  double totalNanos(Outcome outcome) {
    return nanos[outcome.index].sum();
  }

  /** All calls so far, whatever their outcome. */
  long calls() {
    long sum = 0;
    for (LongAdder count : counts) {
      sum += count.sum();
    }
    return sum;
  }
}
