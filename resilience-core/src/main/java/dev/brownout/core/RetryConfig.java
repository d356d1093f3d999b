package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Settings of retry: how many attempts, the wait between them, how long new attempts may start
 * ({@code maxDuration}), which failures are worth another attempt, and the retry budget.
 *
 * <p>The budget is what keeps retries from turning a struggling dependency into a dead one: over a
 * rolling ten seconds, retries may be at most {@code budgetRatio} of the guard's calls plus {@code
 * minRetriesPerSecond}; past that a failure is returned to the caller instead of being retried.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .maxAttempts(3)
 *     .backoff(Backoff.exponentialRandom(Duration.ofMillis(50), 2.0, 0.5))
 *     .retryOn(IOException.class)
 *     .abortOn(FileNotFoundException.class)
 *     .budget(0.1, 5)
 *     .build();
 * }</pre>
 *
 * <p>Which failures are retried follows MicroProfile Fault Tolerance: a failure listed in {@code
 * abortOn} is never retried, even when {@code retryOn} also covers it. A rejection (an open
 * breaker, a full bulkhead) is retried only if {@code retryOnRejection} names its type. Two configs
 * are equal when every setting is; a predicate is equal only to itself.
 */
public final class RetryConfig extends ValueConfig {

  private final int maxAttempts;
  private final Backoff backoff;
  private final List<Class<? extends Throwable>> retryOn;
  private final Predicate<? super Throwable> retryOnPredicate;
  private final List<Class<? extends Throwable>> abortOn;
  private final Predicate<? super Throwable> abortOnPredicate;
  private final Predicate<Object> retryOnResult;
  private final Duration maxDuration;
  private final List<Class<? extends Throwable>> retryOnRejection;
  private final double budgetRatio;
  private final int minRetriesPerSecond;
  private final ConfigValues values;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.retryOn = List.copyOf(b.retryOn);
    this.retryOnPredicate = b.retryOnPredicate;
    this.abortOn = List.copyOf(b.abortOn);
    this.abortOnPredicate = b.abortOnPredicate;
    this.retryOnResult = b.retryOnResult;
    this.maxDuration = b.maxDuration;
    this.retryOnRejection = List.copyOf(b.retryOnRejection);
    this.budgetRatio = b.budgetRatio;
    this.minRetriesPerSecond = b.minRetriesPerSecond;
    this.values =
        new ConfigValues("RetryConfig")
            .value("maxAttempts", maxAttempts)
            .value("backoff", backoff)
            .types("retryOn", retryOn)
            .function("retryOn", retryOnPredicate)
            .types("abortOn", abortOn)
            .function("abortOn", abortOnPredicate)
            .function("retryOnResult", retryOnResult)
            .value("maxDuration", maxDuration)
            .types("retryOnRejection", retryOnRejection)
            .value("budgetRatio", budgetRatio)
            .value("minRetriesPerSecond", minRetriesPerSecond);
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

  /** The wait before each retry, by the number of failed attempts. */
  public Backoff backoff() {
    return backoff;
  }

  public double budgetRatio() {
    return budgetRatio;
  }

  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /**
   * How long after the first attempt began a new attempt may still start, in nanoseconds; 0 for no
   * limit.
   */
  long maxDurationNanos() {
    return maxDuration == null ? 0L : maxDuration.toNanos();
  }

  /** Whether {@code rejection} is of a kind {@code retryOnRejection} opts in to retry. */
  boolean retriesRejection(RejectedCallException rejection) {
    return !retryOnRejection.isEmpty() && FailureClassifier.matches(retryOnRejection, rejection);
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed ones. */
  long backoffNanos(int attempt) {
    return backoff.nanos(attempt);
  }

  /**
   * Whether {@code failure} is worth another attempt: never a rejection (see {@link
   * #retriesRejection}) or an {@link Error}, never an {@code abortOn} failure, and otherwise a
   * {@code retryOn} one (every exception when none is set).
   */
  boolean retriesOn(Throwable failure) {
    if (failure instanceof RejectedCallException || failure instanceof Error) {
      return false;
    }
    Throwable cause = FailureClassifier.unwrap(failure);
    if (FailureClassifier.matches(abortOn, cause)
        || (abortOnPredicate != null && abortOnPredicate.test(cause))) {
      return false;
    }
    return (retryOn.isEmpty() && retryOnPredicate == null)
        || FailureClassifier.matches(retryOn, cause)
        || (retryOnPredicate != null && retryOnPredicate.test(cause));
  }

  boolean retriesOnResult(Object result) {
    return retryOnResult != null && retryOnResult.test(result);
  }

  boolean hasResultPredicate() {
    return retryOnResult != null;
  }

  @Override
  ConfigValues values() {
    return values;
  }

  /** Builds a {@link RetryConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Backoff backoff =
        Backoff.exponentialRandom(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(10));
    private final List<Class<? extends Throwable>> retryOn = new ArrayList<>();
    private Predicate<? super Throwable> retryOnPredicate;
    private final List<Class<? extends Throwable>> abortOn = new ArrayList<>();
    private Predicate<? super Throwable> abortOnPredicate;
    private Predicate<Object> retryOnResult;
    private Duration maxDuration;
    private final List<Class<? extends Throwable>> retryOnRejection = new ArrayList<>();
    private double budgetRatio = 0.2;
    private int minRetriesPerSecond = 10;

    private Builder() {}

    /** Attempts in all, the first included: 1 means no retry. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * A fixed wait between attempts ({@link Duration#ZERO} for none); short for {@code
     * backoff(Backoff.fixed(wait))}.
     */
    public Builder waitDuration(Duration wait) {
      Settings.notNegative("retry.waitDuration", wait);
      if (wait.compareTo(Backoff.LONGEST) > 0) {
        throw Settings.invalid("retry.waitDuration", wait, "must be at most " + Backoff.LONGEST);
      }
      this.backoff = Backoff.fixed(wait);
      return this;
    }

    /** The wait before each retry, by the number of failed attempts. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Settings.notNull("retry.backoff", backoff);
      return this;
    }

    /**
     * Only failures of these types (and their subtypes) are retried; with {@link
     * #retryOn(Predicate)} too, a failure either one accepts. Every exception when neither is set.
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      retryOn.addAll(FailureClassifier.types("retry.retryOn", types));
      return this;
    }

    /**
     * Which exceptions are worth another attempt (all by default). Rejections (open breaker, full
     * bulkhead, degraded feature) and {@link Error}s are never retried.
     */
    public Builder retryOn(Predicate<? super Throwable> predicate) {
      this.retryOnPredicate = Settings.notNull("retry.retryOn", predicate);
      return this;
    }

    /**
     * Failures of these types (and their subtypes) are never retried, whatever {@code retryOn}
     * says.
     */
    @SafeVarargs
    public final Builder abortOn(Class<? extends Throwable>... types) {
      abortOn.addAll(FailureClassifier.types("retry.abortOn", types));
      return this;
    }

    /** A failure this accepts is never retried, whatever {@code retryOn} says. */
    public Builder abortOn(Predicate<? super Throwable> predicate) {
      this.abortOnPredicate = Settings.notNull("retry.abortOn", predicate);
      return this;
    }

    /** A returned value for which this is true is retried (and returned if attempts run out). */
    public Builder retryOnResult(Predicate<@Nullable Object> predicate) {
      this.retryOnResult = Settings.notNull("retry.retryOnResult", predicate);
      return this;
    }

    /**
     * No new attempt starts once {@code maxDuration} has passed since the first attempt began, as
     * MicroProfile's {@code @Retry(maxDuration)}: the call then ends with what the last attempt
     * gave. A retry whose wait would end past it is not waited for. It does not stop an attempt in
     * flight; {@link Guard.Builder#deadline} bounds the whole call. No limit by default.
     */
    public Builder maxDuration(Duration maxDuration) {
      this.maxDuration = Settings.positive("retry.maxDuration", maxDuration);
      return this;
    }

    /**
     * Opts in to retry rejections of these types (and their subtypes), which are otherwise never
     * retried: {@code retryOnRejection(CallNotPermittedException.class)} retries while the breaker
     * is open, so that a call can wait for it to half-open, within {@code maxAttempts}, the budget,
     * {@link #maxDuration} and the guard's deadline. A full bulkhead ({@link
     * BulkheadFullException}) or executor is retried only if named too. {@code retryOn} and {@code
     * abortOn} do not apply to rejections.
     */
    @SafeVarargs
    public final Builder retryOnRejection(Class<? extends RejectedCallException>... types) {
      retryOnRejection.addAll(FailureClassifier.types("retry.retryOnRejection", types));
      return this;
    }

    /**
     * The retry budget: over a rolling ten seconds, retries may be at most {@code ratio} of calls
     * plus {@code minRetriesPerSecond} per second. {@code budget(1.0, ...)} with a large minimum
     * turns it off.
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
      if (maxDuration != null && maxDuration.toNanos() <= backoff.shortestNanos()) {
        throw Settings.invalid(
            "retry.maxDuration",
            maxDuration,
            "must be longer than the shortest wait between attempts, "
                + Duration.ofNanos(backoff.shortestNanos())
                + ", or no retry could ever start");
      }
      return new RetryConfig(this);
    }
  }
}
