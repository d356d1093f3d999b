package dev.brownout.core;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-guard call counts and total durations by outcome and cause, retry counts, and the latency
 * histogram. Striped adders: threads calling one guard do not share a counter line, and the meter
 * registry reads the sums only when it publishes. A guard whose bulkhead counts its successes
 * ({@link Bulkhead#releaseAfterSuccess}) adds them here only on reading: its synchronous successes
 * are not counted twice, and cost one atomic add fewer. Keyed guards share one instance per family.
 *
 * <p>Every call is counted once, when it ends, in the slot of its (outcome, cause) pair. Retry
 * counts are taken when a call that was retried ends, so they describe the same ended calls: {@link
 * #notRetried} is what is left of them, computed on reading so that the happy path adds nothing.
 */
final class CallStats {

  private static final int CAUSES = Cause.ALL.length;
  private static final int SUCCESS = slot(Outcome.SUCCESS, Cause.NONE);

  private final LongAdder[] counts = new LongAdder[Outcome.ALL.length * CAUSES];
  private final LongAdder[] nanos = new LongAdder[counts.length];
  private final Bulkhead successCounter;
  private final LongAdder retries = new LongAdder();
  private final LongAdder succeededAfterRetry = new LongAdder();
  private final LongAdder failedAfterRetry = new LongAdder();
  private final LongAdder budgetExhausted = new LongAdder();
  private final AtomicLong notRetriedReading = new AtomicLong();

  // Guarded by this: the parts some guard on these stats needs, and where to publish them.
  private LatencyHistogram latency;
  private boolean retrying;
  private BrownoutMetrics metrics;
  private String meterName;

  /** Counts for a guard that counts every success here. */
  CallStats() {
    this(null);
  }

  /**
   * Counts for a guard whose {@code successCounter} (if not null) also counts some of its
   * successes.
   */
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

  /**
   * Counts a call that returned its own value. The success slot is a constant, so that the guard's
   * happy path, inlined into its caller, stays small.
   */
  void recordSuccess(long elapsedNanos) {
    counts[SUCCESS].increment();
    if (elapsedNanos > 0) {
      nanos[SUCCESS].add(elapsedNanos);
    }
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
      nanos[SUCCESS].add(elapsedNanos);
    }
  }

  long count(Outcome outcome, Cause cause) {
    long count = counts[slot(outcome, cause)].sum();
    return outcome == Outcome.SUCCESS && successCounter != null
        ? count + successCounter.successes()
        : count;
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

  // ---- retries

  /** A call that made {@code attempts} attempts, more than one, has ended. */
  void retried(int attempts, boolean succeeded) {
    retries.add(attempts - 1L);
    (succeeded ? succeededAfterRetry : failedAfterRetry).increment();
  }

  /** The retry budget refused a retry that the retry config allowed. */
  void budgetExhausted() {
    budgetExhausted.increment();
  }

  long retries() {
    return retries.sum();
  }

  long succeededAfterRetry() {
    return succeededAfterRetry.sum();
  }

  long failedAfterRetry() {
    return failedAfterRetry.sum();
  }

  /**
   * The ended calls that ran (not degraded) and made one attempt at most; never less than a
   * previous reading, as a counter must be.
   *
   * <p>A retried call is counted as retried before it is counted as a call, and this reads the
   * calls before the retried ones: a reading taken while retried calls end can only be short of the
   * true value (a call seen as retried, not yet as a call), never over it, so keeping the largest
   * reading makes the count monotonic, and it is exact again once those calls are counted.
   */
  long notRetried() {
    long ran = calls() - count(Outcome.DEGRADED);
    long reading = ran - succeededAfterRetry() - failedAfterRetry();
    long previous;
    do {
      previous = notRetriedReading.get();
      if (reading <= previous) {
        return previous;
      }
    } while (!notRetriedReading.compareAndSet(previous, reading));
    return reading;
  }

  long budgetExhaustedCount() {
    return budgetExhausted.sum();
  }

  // ---- the parts a guard asks for as it is built, published once

  /** The shared latency histogram, made by the first guard that records latency. */
  synchronized LatencyHistogram latency() {
    if (latency == null) {
      latency = new LatencyHistogram();
      if (metrics != null) {
        metrics.latency(meterName, latency);
      }
    }
    return latency;
  }

  /** Called by each guard that retries: the first one has the retry meters published. */
  synchronized void retrying() {
    if (!retrying) {
      retrying = true;
      if (metrics != null) {
        metrics.retry(meterName, this);
      }
    }
  }

  /**
   * Publishes these stats' latency and retry meters under {@code name}, now and when they appear.
   */
  synchronized void publishTo(BrownoutMetrics metrics, String name) {
    this.metrics = metrics;
    this.meterName = name;
    if (latency != null) {
      metrics.latency(name, latency);
    }
    if (retrying) {
      metrics.retry(name, this);
    }
  }
}
