package dev.brownout.core;

/**
 * A source of monotonic nanoseconds. Policies read time only through a ticker so that tests can drive
 * time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /** Returns the current reading in nanoseconds; only differences between readings are meaningful. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
