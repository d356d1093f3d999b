package dev.brownout.core;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.internal.Settings;
import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A named, immutable pipeline of policies that protects calls to one dependency. Built once, shared
 * by every thread, run on every call.
 *
 * <pre>{@code
 * Guard inventory = brownout.guard("inventory")
 *     .circuitBreaker(CircuitBreakerConfig.ofDefaults())
 *     .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(20).build())
 *     .retry(RetryConfig.ofDefaults())
 *     .timeout(Duration.ofMillis(300))
 *     .build();
 * Stock stock = inventory.call(() -> client.stock(sku), Fallback.value(Stock.UNKNOWN));
 * }</pre>
 *
 * <p>The order is fixed, outermost first: <b>recovery → admission (the feature switch) → fallback →
 * retry → circuit breaker → timeout → bulkhead → the call</b>. So a switched-off feature never
 * reaches the dependency; a fallback sees the last failure once retries are spent; every attempt
 * asks the breaker; the timeout covers the wait for a bulkhead permit; and rejections (open
 * breaker, full bulkhead) are never retried unless the retry opts in. The timeout bounds each
 * attempt; a {@link Builder#deadline} bounds everything from retry inward, the whole call. Recovery
 * and admission come from the {@code recover-middleware} and {@code degradation} modules through
 * {@link dev.brownout.core.spi}. On the happy path a call takes no lock, allocates nothing, and
 * reads the clock only if a policy needs the call's duration (a timeout, slow-call detection, or
 * {@link Builder#recordLatency}).
 */
public final class Guard {

  private final GuardCore core;

  private Guard(Builder b, CallStats stats, boolean successesInBulkhead) {
    this.core =
        new GuardCore(
            b.name,
            b.runtime,
            b.breaker,
            b.bulkhead,
            b.rateLimiter,
            b.limit,
            b.retry,
            b.timeout,
            b.deadline,
            b.executor,
            b.recordLatency,
            b.admission,
            b.recovery,
            stats,
            successesInBulkhead);
  }

  /** A {@link Guard} builder; get one from {@link Brownout#guard(String)}. */
  static Builder builder(Brownout runtime, String name, String family, CallStats sharedStats) {
    return new Builder(runtime, name, family, sharedStats);
  }

  public String name() {
    return core.name;
  }

  /** The guard's circuit breaker, if it has one. */
  public java.util.Optional<CircuitBreaker> circuitBreaker() {
    return java.util.Optional.ofNullable(core.breaker);
  }

  /** The guard's bulkhead, if it has one. */
  public java.util.Optional<Bulkhead> bulkhead() {
    return java.util.Optional.ofNullable(core.bulkhead);
  }

  /**
   * How many calls this guard has seen so far, by outcome and, for fallbacks, by cause (for
   * controllers and admin pages). Per-key guards report their whole family.
   */
  public CallCounts counts() {
    CallStats stats = core.stats;
    return new CallCounts(
        stats.count(Outcome.SUCCESS),
        stats.count(Outcome.FAILURE),
        stats.count(Outcome.REJECTED),
        stats.count(Outcome.TIMEOUT),
        stats.count(Outcome.DEGRADED),
        stats.fallbacks(Cause.FAILURE),
        stats.fallbacks(Cause.TIMEOUT),
        stats.fallbacks(
            Cause.BREAKER_OPEN,
            Cause.BULKHEAD_FULL,
            Cause.RATE_LIMITED,
            Cause.CONCURRENCY_LIMITED,
            Cause.REJECTED));
  }

  /**
   * The durations of this guard's calls so far, if it records latency ({@link
   * Builder#recordLatency}); empty otherwise. Per-key guards report their whole family.
   */
  public LatencySnapshot latency() {
    return core.latency == null
        ? LatencySnapshot.empty()
        : new LatencySnapshot(core.latency.snapshot());
  }

  /** Runs {@code callable} through the policies; failures and rejections reach the caller. */
  public <T extends @Nullable Object> T call(Callable<T> callable) throws Exception {
    return SyncCall.execute(core, null, callable, SyncCall.CALLABLE, null);
  }

  /**
   * Runs {@code callable}; a failure or rejection that {@code fallback} handles becomes its value.
   */
  public <T extends @Nullable Object> T call(Callable<T> callable, Fallback<T> fallback)
      throws Exception {
    return SyncCall.execute(core, null, callable, SyncCall.CALLABLE, fallback);
  }

  /**
   * Runs {@code callable} on behalf of {@code key}: a user id keeps a percentage rollout sticky for
   * that user, and the arguments of a call let a degraded feature serve the last good value for
   * them.
   */
  public <T extends @Nullable Object> T callFor(@Nullable Object key, Callable<T> callable)
      throws Exception {
    return SyncCall.execute(core, key, callable, SyncCall.CALLABLE, null);
  }

  /** Runs {@code callable} on behalf of {@code key}, with a fallback. */
  public <T extends @Nullable Object> T callFor(
      @Nullable Object key, Callable<T> callable, Fallback<T> fallback) throws Exception {
    return SyncCall.execute(core, key, callable, SyncCall.CALLABLE, fallback);
  }

  /**
   * Runs {@code call} with {@code key} as its argument and as the call's key ({@link #callFor}).
   * Unlike a lambda that captures the argument, {@code call} can be built once (a method reference
   * held in a field), so a call with an argument allocates nothing; the generated classes of the
   * annotation processor call their one-parameter methods this way.
   */
  public <K extends @Nullable Object, T extends @Nullable Object> T callWith(
      K key, KeyedCall<? super K, ? extends T> call) throws Exception {
    return SyncCall.execute(core, key, call, SyncCall.KEYED, null);
  }

  /** {@link #callWith(Object, KeyedCall)} with a fallback. */
  public <K extends @Nullable Object, T extends @Nullable Object> T callWith(
      K key, KeyedCall<? super K, ? extends T> call, Fallback<T> fallback) throws Exception {
    return SyncCall.execute(core, key, call, SyncCall.KEYED, fallback);
  }

  /**
   * A call that takes its key as its argument.
   *
   * @param <K> the key's type
   * @param <T> the result's type
   */
  @FunctionalInterface
  public interface KeyedCall<K extends @Nullable Object, T extends @Nullable Object> {
    T call(K key) throws Exception;
  }

  /**
   * Runs {@code supplier} through the policies. A checked exception can only come from an
   * interrupted timeout wait; it arrives wrapped in a {@link CompletionException} with the
   * interrupt flag set.
   */
  public <T extends @Nullable Object> T get(Supplier<T> supplier) {
    return getUnchecked(supplier, null);
  }

  /**
   * Runs {@code supplier}; a failure or rejection that {@code fallback} handles becomes its value.
   */
  public <T extends @Nullable Object> T get(Supplier<T> supplier, Fallback<T> fallback) {
    return getUnchecked(supplier, fallback);
  }

  /** Runs {@code runnable} through the policies. */
  public void run(ThrowingRunnable runnable) throws Exception {
    SyncCall.execute(core, null, runnable, SyncCall.RUNNABLE, null);
  }

  /**
   * Runs an asynchronous call: the stage is started only if the policies admit it, and the returned
   * stage completes with its result, a fallback value, or the failure. A bulkhead does not wait
   * here: a full one rejects at once, since waiting would block the calling thread.
   */
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier) {
    return new AsyncCall<T>(core, null, supplier, null).start();
  }

  /**
   * Runs an asynchronous call; a failure or rejection that {@code fallback} handles becomes its
   * value.
   */
  public <T extends @Nullable Object> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier, Fallback<T> fallback) {
    return new AsyncCall<T>(core, null, supplier, fallback).start();
  }

  /**
   * Runs an asynchronous call on behalf of {@code key} (see {@link #callFor(Object, Callable)}).
   */
  public <T extends @Nullable Object> CompletionStage<T> callAsyncFor(
      @Nullable Object key, Supplier<? extends CompletionStage<T>> supplier) {
    return new AsyncCall<T>(core, key, supplier, null).start();
  }

  /** Runs an asynchronous call on behalf of {@code key}, with a fallback. */
  public <T extends @Nullable Object> CompletionStage<T> callAsyncFor(
      @Nullable Object key, Supplier<? extends CompletionStage<T>> supplier, Fallback<T> fallback) {
    return new AsyncCall<T>(core, key, supplier, fallback).start();
  }

  /** A {@link Runnable} that may throw a checked exception. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  private <T> T getUnchecked(Supplier<T> supplier, Fallback<T> fallback) {
    try {
      return SyncCall.execute(core, null, supplier, SyncCall.SUPPLIER, fallback);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  @Override
  public String toString() {
    return "Guard[" + core.name + "]";
  }

  /**
   * Assembles a {@link Guard}. Each policy is optional; the order in which they are added does not
   * matter, the guard always runs them in its fixed order.
   */
  public static final class Builder {
    private final Brownout runtime;
    private final String name;
    private final String family;
    private final CallStats sharedStats;
    private CircuitBreaker breaker;
    private Bulkhead bulkhead;
    private RateLimiter rateLimiter;
    private Limiter.Partition limit;
    private RetryConfig retry;
    private Duration timeout;
    private Duration deadline;
    private BoundedExecutor executor;
    private boolean recordLatency;
    private Admission admission;
    private Recovery recovery;

    private Builder(Brownout runtime, String name, String family, CallStats sharedStats) {
      this.runtime = runtime;
      this.name = Settings.name("guard.name", name);
      this.family = family;
      this.sharedStats = sharedStats;
    }

    /** A classic circuit breaker with this config, named after the guard. */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      Settings.notNull("guard.circuitBreaker", config);
      this.breaker =
          isKeyed()
              ? runtime.detachedBreaker(name, family, config)
              : runtime.circuitBreaker(name, config);
      return this;
    }

    /** An existing breaker, shared with whatever else uses it. */
    public Builder circuitBreaker(CircuitBreaker breaker) {
      this.breaker = Settings.notNull("guard.circuitBreaker", breaker);
      return this;
    }

    /** An adaptive (client-side throttling) breaker with this config, named after the guard. */
    public Builder adaptiveCircuitBreaker(AdaptiveBreakerConfig config) {
      Settings.notNull("guard.adaptiveCircuitBreaker", config);
      this.breaker =
          isKeyed()
              ? runtime.detachedAdaptiveBreaker(name, family, config)
              : runtime.adaptiveCircuitBreaker(name, config);
      return this;
    }

    /** A bulkhead with this config, named after the guard. */
    public Builder bulkhead(BulkheadConfig config) {
      Settings.notNull("guard.bulkhead", config);
      this.bulkhead = isKeyed() ? new Bulkhead(name, config) : runtime.bulkhead(name, config);
      return this;
    }

    /** An existing bulkhead, shared with whatever else uses it. */
    public Builder bulkhead(Bulkhead bulkhead) {
      this.bulkhead = Settings.notNull("guard.bulkhead", bulkhead);
      return this;
    }

    /**
     * Holds the guard to a rate: each attempt takes a turn, inside the breaker and outside the
     * timeout (a refusal is never a failure of the breaker, and waiting for a turn is not part of
     * the timeout). A call over the rate fails with {@link RateLimitedException}, which says when
     * to come back; a synchronous call may first wait up to the config's {@code maxWaitDuration}
     * for its turn, an asynchronous call never waits. The limiter is the guard's own; each key of a
     * {@linkplain Brownout#keyedGuards keyed} guard has its own (a limit per tenant).
     */
    public Builder rateLimiter(RateLimiterConfig config) {
      Settings.notNull("guard.rateLimiter", config);
      this.rateLimiter =
          new RateLimiter(name, config, runtime.clock().read(), runtime.clockTickNanos());
      return this;
    }

    /**
     * Holds the guard's attempts to an adaptive concurrency limit (see {@link Limiter}): each
     * attempt takes a permit as it is about to start, after the breaker, the rate limiter and the
     * bulkhead let it go on, and gives it back when the caller learns its end: a value is a success
     * (its latency teaches the limit), a timeout or a rejection from inside is a drop (it cuts the
     * limit), any other failure is ignored, and so are the guard's own rejections. (A timed or
     * isolated call takes its bulkhead permit on the worker, after the limiter's.) At the limit the
     * attempt fails with {@link ConcurrencyLimitedException}, a rejection: counted rejected with
     * cause {@code concurrency_limited}, seen by a fallback, never a failure of the breaker, never
     * retried unless the retry opts in. A limiter is usually shared: guards of one dependency, or
     * every key of a {@linkplain Brownout#keyedGuards keyed} guard, hold it together.
     */
    public Builder limiter(Limiter limiter) {
      return limiter(Settings.notNull("guard.limiter", limiter).unnamed());
    }

    /**
     * {@link #limiter(Limiter)} for the calls of one partition: at the limit, the partition's
     * guaranteed share of it still admits them.
     */
    public Builder limiter(Limiter.Partition partition) {
      this.limit = Settings.notNull("guard.limiter", partition);
      return this;
    }

    public Builder retry(RetryConfig config) {
      this.retry = Settings.notNull("guard.retry", config);
      return this;
    }

    /**
     * The longest a caller waits for one attempt: each retry gets the timeout afresh (see {@link
     * #deadline} for the whole call). A synchronous call then runs on a runtime thread and is
     * interrupted when its time is up; an asynchronous one is cancelled.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Settings.positive("guard.timeout", timeout);
      return this;
    }

    /**
     * The longest a caller waits for the whole call: every attempt, and the waits between them. At
     * the deadline the attempt in flight is stopped as a {@link #timeout} stops it, and no further
     * attempt starts; a retry whose wait would end past the deadline is not waited for. The caller
     * gets a {@link DeadlineExceededException} (a {@link CallTimeoutException}, counted as a
     * timeout and offered to the fallback like one). Each attempt still ends at its own timeout, if
     * the guard has one and it comes first.
     */
    public Builder deadline(Duration deadline) {
      this.deadline = Settings.positive("guard.deadline", deadline);
      return this;
    }

    /**
     * Runs each synchronous call on {@code executor}: thread isolation, with the executor's bounds
     * as the bulkhead. A saturated executor is a rejection ({@link BulkheadFullException} named
     * after the executor), never retried; with a {@link #timeout}, the caller stops waiting at the
     * deadline and the task is cancelled. Asynchronous calls do not use it.
     */
    public Builder executor(BoundedExecutor executor) {
      this.executor = Settings.notNull("guard.executor", executor);
      return this;
    }

    /**
     * Times every call (two clock reads per call) for {@link Guard#latency()} and the {@code
     * brownout.calls} timer, and publishes the durations as the {@code brownout.latency} histogram.
     */
    public Builder recordLatency(boolean record) {
      this.recordLatency = record;
      return this;
    }

    /** The feature switch (or another admission policy): checked before every other policy. */
    public Builder admission(Admission admission) {
      this.admission = Settings.notNull("guard.admission", admission);
      return this;
    }

    /** The outermost policy: sees whatever escapes the guard and may turn it into a value. */
    public Builder recovery(Recovery recovery) {
      this.recovery = Settings.notNull("guard.recovery", recovery);
      return this;
    }

    private boolean isKeyed() {
      return sharedStats != null;
    }

    /**
     * A bulkhead whose permit the calling thread takes and returns: no executor runs the call for
     * it.
     */
    private boolean callerHoldsPermit() {
      return bulkhead != null && executor == null;
    }

    /** Builds the guard and registers it with the runtime under its name. */
    public Guard build() {
      if (isKeyed()) {
        return new Guard(this, sharedStats, false);
      }
      // The first guard on a bulkhead whose permits its calling threads return counts its successes
      // there: one atomic add per success instead of two.
      boolean successesInBulkhead = callerHoldsPermit() && bulkhead.claimSuccessCount();
      CallStats stats = new CallStats(successesInBulkhead ? bulkhead : null);
      Guard guard = new Guard(this, stats, successesInBulkhead);
      runtime.register(guard, stats);
      return guard;
    }
  }
}
