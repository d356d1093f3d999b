package dev.brownout.core;

import java.util.Locale;

/**
 * How a guarded call ended, as counted by the {@code brownout.calls} timer's {@code outcome} tag.
 */
enum Outcome {
  SUCCESS(0, Cause.NONE),
  FAILURE(1, Cause.FAILURE),
  REJECTED(
      2,
      Cause.BREAKER_OPEN,
      Cause.BULKHEAD_FULL,
      Cause.RATE_LIMITED,
      Cause.CONCURRENCY_LIMITED,
      Cause.REJECTED),
  FALLBACK(
      3,
      Cause.FAILURE,
      Cause.TIMEOUT,
      Cause.BREAKER_OPEN,
      Cause.BULKHEAD_FULL,
      Cause.RATE_LIMITED,
      Cause.CONCURRENCY_LIMITED,
      Cause.REJECTED),
  TIMEOUT(4, Cause.TIMEOUT),
  /** Not run: the admission policy (a switched-off feature) served a substitute or refused. */
  DEGRADED(5, Cause.DEGRADED);

  static final Outcome[] ALL = values();

  /** The slot of this outcome in per-outcome arrays. */
  final int index;

  final String tag = name().toLowerCase(Locale.ROOT);

  /** The causes a call with this outcome can have: the {@code cause} tags published with it. */
  @SuppressWarnings("ImmutableEnumChecker") // never written after construction
  final Cause[] causes;

  Outcome(int index, Cause... causes) {
    this.index = index;
    this.causes = causes;
  }
}
