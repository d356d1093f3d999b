package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * How long to wait before the next try, by the number of tries that failed so far: between retries
 * ({@link RetryConfig.Builder#backoff}) and in a breaker's OPEN state ({@link
 * CircuitBreakerConfig.Builder#waitIntervalFunctionInOpenState}). Immutable, compared by value.
 *
 * <pre>{@code
 * Backoff.fixed(Duration.ofMillis(200));                                  // 200, 200, 200 ms ...
 * Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(50));          // 100, 150, 200 ms ...
 * Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)); // 100, 200, 400 ms ... 5 s
 * Backoff.exponentialRandom(Duration.ofMillis(100), 2.0, 0.5);            // 50–150, 100–300 ms ...
 * }</pre>
 *
 * <p>The values follow Resilience4j's {@code IntervalFunction} ({@code initial * multiplier^(n-1)},
 * randomized by {@code ± randomization} of the wait), so configs carry over; Brownout counts in
 * nanoseconds where Resilience4j rounds down to whole milliseconds at each step, so with a
 * fractional multiplier Resilience4j's waits come out slightly shorter. Every wait is at most the
 * maximum (365 days when none is given, so a wait added to a clock reading cannot overflow).
 */
public final class Backoff {

  /** The longest wait any backoff gives, and the cap of a backoff built without a maximum. */
  static final Duration LONGEST = Duration.ofDays(365);

  private enum Shape {
    FIXED,
    LINEAR,
    EXPONENTIAL
  }

  private final Shape shape;
  private final long initialNanos;

  /** The step of a linear backoff, in nanoseconds; the factor of an exponential one. */
  private final double growth;

  private final double randomization;
  private final long maxNanos;

  private Backoff(
      Shape shape, long initialNanos, double growth, double randomization, long maxNanos) {
    this.shape = shape;
    this.initialNanos = initialNanos;
    this.growth = growth;
    this.randomization = randomization;
    this.maxNanos = maxNanos;
  }

  /** The same wait every time; {@link Duration#ZERO} for none. */
  public static Backoff fixed(Duration wait) {
    long nanos = nanos("backoff.wait", wait);
    return new Backoff(Shape.FIXED, nanos, 0, 0, nanos);
  }

  /**
   * {@code initial}, then {@code increment} more after each failed try, without bound (365 days).
   */
  public static Backoff linear(Duration initial, Duration increment) {
    return linear(initial, increment, LONGEST);
  }

  /** {@code initial}, then {@code increment} more after each failed try, at most {@code max}. */
  public static Backoff linear(Duration initial, Duration increment, Duration max) {
    long first = nanos("backoff.initial", initial);
    return new Backoff(
        Shape.LINEAR, first, nanos("backoff.increment", increment), 0, max(first, max));
  }

  /** {@code initial * multiplier^(n-1)} after {@code n} failed tries, without bound (365 days). */
  public static Backoff exponential(Duration initial, double multiplier) {
    return exponential(initial, multiplier, LONGEST);
  }

  /** {@code initial * multiplier^(n-1)} after {@code n} failed tries, at most {@code max}. */
  public static Backoff exponential(Duration initial, double multiplier, Duration max) {
    return exponentialRandom(initial, multiplier, 0, max);
  }

  /**
   * Exponential, each wait drawn uniformly from {@code wait ± randomization * wait} so that callers
   * that failed together do not retry together; {@code randomization} is in [0, 1).
   */
  public static Backoff exponentialRandom(
      Duration initial, double multiplier, double randomization) {
    return exponentialRandom(initial, multiplier, randomization, LONGEST);
  }

  /** As {@link #exponentialRandom(Duration, double, double)}, every wait at most {@code max}. */
  public static Backoff exponentialRandom(
      Duration initial, double multiplier, double randomization, Duration max) {
    long first = nanos("backoff.initial", initial);
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw Settings.invalid(
          "backoff.multiplier", multiplier, "must be a finite number of at least 1");
    }
    if (!(randomization >= 0.0 && randomization < 1.0)) {
      throw Settings.invalid("backoff.randomization", randomization, "must be in [0, 1)");
    }
    return new Backoff(Shape.EXPONENTIAL, first, multiplier, randomization, max(first, max));
  }

  /**
   * The wait after {@code failedTries} (1, 2, ...) failed tries; what a retry loop or a breaker
   * reads.
   */
  public Duration waitAfter(int failedTries) {
    return Duration.ofNanos(nanos(failedTries));
  }

  /**
   * The wait in nanoseconds: no allocation and no lock, so a retry loop can ask on every attempt.
   * The random draw uses {@link ThreadLocalRandom}, whose state lives in the {@link Thread} object.
   */
  long nanos(int failedTries) {
    int n = Math.max(1, failedTries) - 1;
    double wait =
        switch (shape) {
          case FIXED -> initialNanos;
          case LINEAR -> initialNanos + growth * n;
          case EXPONENTIAL -> initialNanos * Math.pow(growth, n);
        };
    // Capped before the random spread: a growth that overflowed to infinity would otherwise turn
    // into
    // NaN (infinity minus infinity) and a wait of zero. "Not below" also catches NaN.
    if (!(wait < maxNanos)) {
      wait = maxNanos;
    }
    if (randomization > 0) {
      wait += wait * randomization * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    }
    return Math.min((long) wait, maxNanos);
  }

  /** The shortest wait this backoff can give. */
  long shortestNanos() {
    return Math.min((long) (initialNanos * (1 - randomization)), maxNanos);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Backoff that
        && that.shape == shape
        && that.initialNanos == initialNanos
        && Double.compare(that.growth, growth) == 0
        && Double.compare(that.randomization, randomization) == 0
        && that.maxNanos == maxNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(shape, initialNanos, growth, randomization, maxNanos);
  }

  @Override
  public String toString() {
    String max = maxNanos == LONGEST.toNanos() ? "" : ", max=" + Duration.ofNanos(maxNanos);
    return switch (shape) {
      case FIXED -> "Backoff.fixed(" + Duration.ofNanos(initialNanos) + ")";
      case LINEAR ->
          "Backoff.linear("
              + Duration.ofNanos(initialNanos)
              + ", +"
              + Duration.ofNanos((long) growth)
              + max
              + ")";
      case EXPONENTIAL ->
          "Backoff.exponential("
              + Duration.ofNanos(initialNanos)
              + ", x"
              + growth
              + (randomization > 0 ? ", ±" + randomization : "")
              + max
              + ")";
    };
  }

  private static long nanos(String setting, Duration value) {
    Settings.notNegative(setting, value);
    if (value.compareTo(LONGEST) > 0) {
      throw Settings.invalid(setting, value, "must be at most " + LONGEST);
    }
    return value.toNanos();
  }

  private static long max(long initialNanos, Duration max) {
    long nanos = nanos("backoff.max", max);
    if (nanos < initialNanos) {
      throw Settings.invalid(
          "backoff.max",
          max,
          "must be at least the initial wait " + Duration.ofNanos(initialNanos));
    }
    return nanos;
  }
}
