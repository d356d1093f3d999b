package dev.brownout.core;

/**
 * A source of monotonic nanoseconds. Policies read time only through a ticker so that tests can
 * drive time by hand instead of sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Returns the current reading in nanoseconds; only differences between readings are meaningful.
   */
  long read();

  /**
   * The ticker backed by {@link System#nanoTime()}, always the same instance. A runtime built with
   * it (the default) gives its breakers, time windows and retry budgets a coarse clock refreshed by
   * its timer; a runtime built with any other ticker (a hand-driven one in tests) has them read
   * that ticker on every call, so time moves exactly when the test moves it.
   */
  static Ticker system() {
    return CoarseClock.SYSTEM;
  }
}
