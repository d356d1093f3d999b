package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a classic circuit breaker, in Resilience4j's vocabulary and with its defaults, so an
 * existing Resilience4j configuration carries over value for value.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .failureRateThreshold(50)
 *     .slidingWindow(WindowType.COUNT_BASED, 100, 20)
 *     .waitDurationInOpenState(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>One deliberate difference: Resilience4j times every call to detect slow calls even when the
 * default slow-call settings (100% of calls slower than 60 s) can practically never fire. Brownout
 * times calls only when {@link Builder#slowCallRateThreshold} or {@link
 * Builder#slowCallDurationThreshold} is set, so a breaker without slow-call detection reads no
 * clock.
 *
 * <p>Two configs are equal when every setting is; a predicate ({@link Builder#recordException},
 * {@link Builder#ignoreException}, {@link Builder#recordResult}) is equal only to itself.
 */
public final class CircuitBreakerConfig extends ValueConfig {

  // One shared instance: configs compare predicates by identity, so every config without a result
  // predicate must hold this same one.
  @SuppressWarnings("UnnecessaryLambda")
  private static final Predicate<Object> NO_RESULT = result -> false;

  private static final long ONE_MILLI = 1_000_000L;

  /** How the breaker's window of recent calls is bounded. */
  public enum WindowType {
    /** The last {@code slidingWindowSize} calls. */
    COUNT_BASED,
    /** The calls of the last {@code slidingWindowSize} seconds. */
    TIME_BASED
  }

  private final WindowType windowType;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final float failureRateThreshold;
  private final float slowCallRateThreshold;
  private final long slowCallDurationThresholdNanos;
  private final boolean slowCallDetection;
  private final Backoff waitIntervalInOpenState;
  private final int permittedNumberOfCallsInHalfOpenState;
  private final FailureClassifier classifier;
  private final Predicate<Object> recordResult;
  private final ConfigValues values;

  private CircuitBreakerConfig(Builder b, Backoff waitIntervalInOpenState) {
    this.windowType = b.windowType;
    this.slidingWindowSize = b.slidingWindowSize;
    this.minimumNumberOfCalls = b.minimumNumberOfCalls;
    this.failureRateThreshold = b.failureRateThreshold;
    this.slowCallRateThreshold = b.slowCallRateThreshold;
    this.slowCallDurationThresholdNanos = b.slowCallDurationThreshold.toNanos();
    this.slowCallDetection = b.slowCallDetection;
    this.waitIntervalInOpenState = waitIntervalInOpenState;
    this.permittedNumberOfCallsInHalfOpenState = b.permittedNumberOfCallsInHalfOpenState;
    this.classifier =
        new FailureClassifier(
            b.recordExceptions, b.recordException, b.ignoreExceptions, b.ignoreException);
    this.recordResult = b.recordResult == null ? NO_RESULT : b.recordResult;
    this.values =
        new ConfigValues("CircuitBreakerConfig")
            .value("slidingWindowType", windowType)
            .value("slidingWindowSize", slidingWindowSize)
            .value("minimumNumberOfCalls", minimumNumberOfCalls)
            .value("failureRateThreshold", failureRateThreshold)
            .value("slowCallDetection", slowCallDetection)
            .value("slowCallRateThreshold", slowCallRateThreshold)
            .value("slowCallDurationThreshold", b.slowCallDurationThreshold)
            .value("waitIntervalFunctionInOpenState", waitIntervalInOpenState)
            .value("permittedNumberOfCallsInHalfOpenState", permittedNumberOfCallsInHalfOpenState)
            .types("recordExceptions", b.recordExceptions)
            .function("recordException", b.recordException)
            .types("ignoreExceptions", b.ignoreExceptions)
            .function("ignoreException", b.ignoreException)
            .function("recordResult", b.recordResult);
  }

  /** Resilience4j's defaults: 50% failures over the last 100 calls, 60 s open, 10 probes. */
  public static CircuitBreakerConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public WindowType windowType() {
    return windowType;
  }

  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  public float failureRateThreshold() {
    return failureRateThreshold;
  }

  public float slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  public Duration slowCallDurationThreshold() {
    return Duration.ofNanos(slowCallDurationThresholdNanos);
  }

  /** Whether slow-call detection was configured, and so whether calls are timed. */
  public boolean slowCallDetection() {
    return slowCallDetection;
  }

  public int permittedNumberOfCallsInHalfOpenState() {
    return permittedNumberOfCallsInHalfOpenState;
  }

  long slowCallDurationThresholdNanos() {
    return slowCallDurationThresholdNanos;
  }

  /** The wait in OPEN before probing, by the number of consecutive openings. */
  public Backoff waitIntervalFunctionInOpenState() {
    return waitIntervalInOpenState;
  }

  /** The wait in OPEN before probing, for the given number of consecutive openings (1, 2, ...). */
  long waitInOpenStateNanos(int attempt) {
    return waitIntervalInOpenState.nanos(attempt);
  }

  FailureClassifier classifier() {
    return classifier;
  }

  Predicate<Object> recordResult() {
    return recordResult;
  }

  @Override
  ConfigValues values() {
    return values;
  }

  /** Builds a {@link CircuitBreakerConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private WindowType windowType = WindowType.COUNT_BASED;
    private int slidingWindowSize = 100;
    private int minimumNumberOfCalls = 100;
    private float failureRateThreshold = 50f;
    private float slowCallRateThreshold = 100f;
    private Duration slowCallDurationThreshold = Duration.ofSeconds(60);
    private boolean slowCallDetection;
    private Backoff waitIntervalInOpenState;
    private Duration waitDurationInOpenState = Duration.ofSeconds(60);
    private int permittedNumberOfCallsInHalfOpenState = 10;
    private final List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();
    private Predicate<? super Throwable> recordException;
    private Predicate<? super Throwable> ignoreException;
    private Predicate<Object> recordResult;

    private Builder() {}

    /** The failure rate, in percent of the window's calls, at or above which the breaker opens. */
    public Builder failureRateThreshold(float percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** The slow-call rate, in percent, at or above which the breaker opens; enables timing. */
    public Builder slowCallRateThreshold(float percent) {
      this.slowCallRateThreshold = percent;
      this.slowCallDetection = true;
      return this;
    }

    /** A call that takes longer than this is slow; enables timing. */
    public Builder slowCallDurationThreshold(Duration threshold) {
      this.slowCallDurationThreshold = threshold;
      this.slowCallDetection = true;
      return this;
    }

    /**
     * The window: its type, its size (calls or seconds) and the calls needed before rates count. As
     * in Resilience4j, a count-based window caps the minimum at its size, which also bounds the
     * probes HALF_OPEN waits for.
     */
    public Builder slidingWindow(WindowType type, int size, int minimumNumberOfCalls) {
      this.windowType = type;
      this.slidingWindowSize = size;
      this.minimumNumberOfCalls =
          type == WindowType.COUNT_BASED && size >= 1
              ? Math.min(minimumNumberOfCalls, size)
              : minimumNumberOfCalls;
      return this;
    }

    public Builder slidingWindowType(WindowType type) {
      this.windowType = type;
      return this;
    }

    public Builder slidingWindowSize(int size) {
      this.slidingWindowSize = size;
      return this;
    }

    public Builder minimumNumberOfCalls(int calls) {
      this.minimumNumberOfCalls = calls;
      return this;
    }

    /** A fixed wait in OPEN before the breaker lets probes through. */
    public Builder waitDurationInOpenState(Duration wait) {
      this.waitDurationInOpenState = wait;
      this.waitIntervalInOpenState = null;
      return this;
    }

    /**
     * A growing wait in OPEN, by the number of consecutive openings, e.g. {@code
     * Backoff.exponential(Duration.ofSeconds(10), 2, Duration.ofMinutes(5))}; at least 1 ms.
     */
    public Builder waitIntervalFunctionInOpenState(Backoff waitInterval) {
      this.waitIntervalInOpenState =
          Settings.notNull("circuitBreaker.waitIntervalFunctionInOpenState", waitInterval);
      return this;
    }

    public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
      this.permittedNumberOfCallsInHalfOpenState = calls;
      return this;
    }

    /** Only these exception types (and their subtypes) count as failures. */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        recordExceptions.add(Settings.notNull("exception type", type));
      }
      return this;
    }

    /** These exception types count neither as failures nor as successes. */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        ignoreExceptions.add(Settings.notNull("exception type", type));
      }
      return this;
    }

    public Builder recordException(Predicate<? super Throwable> predicate) {
      this.recordException = Settings.notNull("circuitBreaker.recordException", predicate);
      return this;
    }

    public Builder ignoreException(Predicate<? super Throwable> predicate) {
      this.ignoreException = Settings.notNull("circuitBreaker.ignoreException", predicate);
      return this;
    }

    /** A returned value for which this is true counts as a failure (the caller still gets it). */
    public Builder recordResult(Predicate<@Nullable Object> predicate) {
      this.recordResult = Settings.notNull("circuitBreaker.recordResult", predicate);
      return this;
    }

    public CircuitBreakerConfig build() {
      Settings.notNull("circuitBreaker.slidingWindowType", windowType);
      Settings.positive("circuitBreaker.slidingWindowSize", slidingWindowSize);
      if (slidingWindowSize > ClassicWindow.MAX_SIZE) {
        throw Settings.invalid(
            "circuitBreaker.slidingWindowSize",
            slidingWindowSize,
            "must be at most " + ClassicWindow.MAX_SIZE);
      }
      Settings.positive("circuitBreaker.minimumNumberOfCalls", minimumNumberOfCalls);
      Settings.percentage("circuitBreaker.failureRateThreshold", failureRateThreshold);
      Settings.percentage("circuitBreaker.slowCallRateThreshold", slowCallRateThreshold);
      Settings.positive("circuitBreaker.slowCallDurationThreshold", slowCallDurationThreshold);
      Settings.positive(
          "circuitBreaker.permittedNumberOfCallsInHalfOpenState",
          permittedNumberOfCallsInHalfOpenState);
      if (permittedNumberOfCallsInHalfOpenState > ClassicWindow.MAX_SIZE) {
        throw Settings.invalid(
            "circuitBreaker.permittedNumberOfCallsInHalfOpenState",
            permittedNumberOfCallsInHalfOpenState,
            "must be at most " + ClassicWindow.MAX_SIZE);
      }
      if (waitIntervalInOpenState == null) {
        Duration wait = waitDurationInOpenState;
        if (wait == null || wait.toMillis() < 1) {
          throw Settings.invalid(
              "circuitBreaker.waitDurationInOpenState", wait, "must be at least 1 ms");
        }
        return new CircuitBreakerConfig(this, Backoff.fixed(wait));
      }
      if (waitIntervalInOpenState.shortestNanos() < ONE_MILLI) {
        throw Settings.invalid(
            "circuitBreaker.waitIntervalFunctionInOpenState",
            waitIntervalInOpenState,
            "must never wait less than 1 ms");
      }
      return new CircuitBreakerConfig(this, waitIntervalInOpenState);
    }
  }
}
