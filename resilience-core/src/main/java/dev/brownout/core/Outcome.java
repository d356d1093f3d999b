package dev.brownout.core;

import java.util.Locale;

/** How a guarded call ended, as counted by the {@code brownout.calls} timer's {@code outcome} tag. */
enum Outcome {
  SUCCESS(0),
  FAILURE(1),
  REJECTED(2),
  FALLBACK(3),
  TIMEOUT(4),
  /** Not run: the admission policy (a switched-off feature) served a substitute or refused. */
  DEGRADED(5);

  static final Outcome[] ALL = values();

  /** The slot of this outcome in per-outcome arrays. */
  final int index;

  final String tag = name().toLowerCase(Locale.ROOT);

  Outcome(int index) {
    this.index = index;
  }
}
