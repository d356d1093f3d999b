package dev.brownout.core;

import dev.brownout.core.spi.Settings;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Settings of retry: how many attempts, the wait between them, which failures are worth another
 * attempt, and the retry budget.
 *
 * <p>The budget is what keeps retries from turning a struggling dependency into a dead one: over a
 * rolling ten seconds, retries may be at most {@code budgetRatio} of the guard's calls plus {@code
 * minRetriesPerSecond}; past that a failure is returned to the caller instead of being retried.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .maxAttempts(3)
 *     .backoff(IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(50), 2.0, 0.5))
 *     .retryOn(e -> e instanceof java.io.IOException)
 *     .budget(0.1, 5)
 *     .build();
 * }</pre>
 */
public final class RetryConfig {

  private final int maxAttempts;
  private final IntervalFunction backoff;
  private final Predicate<? super Throwable> retryOn;
  private final Predicate<Object> retryOnResult;
  private final double budgetRatio;
  private final int minRetriesPerSecond;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.retryOn = b.retryOn;
    this.retryOnResult = b.retryOnResult;
    this.budgetRatio = b.budgetRatio;
    this.minRetriesPerSecond = b.minRetriesPerSecond;
  }

  /** Three attempts, exponential backoff from 100 ms with 50% jitter, a budget of 20% plus 10/s. */
  public static RetryConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public double budgetRatio() {
    return budgetRatio;
  }

  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
  long backoffNanos(int attempt) {
    return Duration.ofMillis(backoff.apply(attempt)).toNanos();
  }

  boolean retriesOn(Throwable failure) {
    return !(failure instanceof RejectedCallException)
        && !(failure instanceof Error)
        && retryOn.test(FailureClassifier.unwrap(failure));
  }

  boolean retriesOnResult(Object result) {
    return retryOnResult != null && retryOnResult.test(result);
  }

  boolean hasResultPredicate() {
    return retryOnResult != null;
  }

  /** Builds a {@link RetryConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private int maxAttempts = 3;
    private IntervalFunction backoff =
        IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(10));
    private Predicate<? super Throwable> retryOn = failure -> true;
    private Predicate<Object> retryOnResult;
    private double budgetRatio = 0.2;
    private int minRetriesPerSecond = 10;

    private Builder() {}

    /** Attempts in all, the first included: 1 means no retry. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /** A fixed wait between attempts. */
    public Builder waitDuration(Duration wait) {
      Settings.positive("retry.waitDuration", wait);
      if (wait.toMillis() < 1) {
        // The backoff counts whole milliseconds: a shorter wait would round to none.
        throw Settings.invalid("retry.waitDuration", wait, "must be at least 1 ms");
      }
      this.backoff = IntervalFunction.of(wait);
      return this;
    }

    /** The wait before each retry, by attempt number (Resilience4j's {@link IntervalFunction}). */
    public Builder backoff(IntervalFunction backoff) {
      this.backoff = Settings.notNull("retry.backoff", backoff);
      return this;
    }

    /**
     * Which exceptions are worth another attempt (all by default). Rejections (open breaker, full
     * bulkhead, degraded feature) and {@link Error}s are never retried.
     */
    public Builder retryOn(Predicate<? super Throwable> predicate) {
      this.retryOn = Settings.notNull("retry.retryOn", predicate);
      return this;
    }

    /** A returned value for which this is true is retried (and returned if attempts run out). */
    public Builder retryOnResult(Predicate<Object> predicate) {
      this.retryOnResult = Settings.notNull("retry.retryOnResult", predicate);
      return this;
    }

    /**
     * The retry budget: over a rolling ten seconds, retries may be at most {@code ratio} of calls plus
     * {@code minRetriesPerSecond} per second. {@code budget(1.0, ...)} with a large minimum turns it off.
     */
    public Builder budget(double ratio, int minRetriesPerSecond) {
      this.budgetRatio = ratio;
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    public RetryConfig build() {
      Settings.positive("retry.maxAttempts", maxAttempts);
      Settings.ratio("retry.budgetRatio", budgetRatio);
      Settings.atLeast("retry.minRetriesPerSecond", minRetriesPerSecond, 0);
      return new RetryConfig(this);
    }
  }
}
