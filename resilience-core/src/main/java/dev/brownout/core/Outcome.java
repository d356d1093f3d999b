package dev.brownout.core;

import java.util.Locale;

/** How a guarded call ended, as counted by the {@code brownout.calls} timer's {@code outcome} tag. */
enum Outcome {
  SUCCESS,
  FAILURE,
  REJECTED,
  FALLBACK,
  TIMEOUT;

  static final Outcome[] ALL = values();

  final String tag = name().toLowerCase(Locale.ROOT);
}
