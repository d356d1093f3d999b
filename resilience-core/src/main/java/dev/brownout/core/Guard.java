package dev.brownout.core;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorSaturatedException;
import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import dev.brownout.core.spi.Settings;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A named, immutable pipeline of policies that protects calls to one dependency. Built once, shared by
 * every thread, run on every call.
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
 * reaches the dependency; a fallback sees the last failure once retries are spent; every attempt asks
 * the breaker; the timeout covers the wait for a bulkhead permit; and rejections (open breaker, full
 * bulkhead) are never retried. Recovery and admission come from the {@code recover-middleware} and
 * {@code degradation} modules through {@link dev.brownout.core.spi}. On the happy path a call takes no lock, allocates nothing, and reads
 * the clock only if a policy needs the call's duration (a timeout, slow-call detection, or {@link
 * Builder#recordLatency}).
 */
public final class Guard {

  private static final int CALLABLE = 0;
  private static final int SUPPLIER = 1;
  private static final int RUNNABLE = 2;
  private static final int KEYED = 3;

  /** What {@link #afterFailure} returns for "try again": never a value a call could return. */
  private static final Object RETRY = new Object();

  private final String name;
  private final Brownout runtime;
  private final Ticker ticker;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  /**
   * The calling thread takes and returns the bulkhead permit: the call runs on it. An isolated call's
   * permit is held by the thread that runs it, so a caller that stops waiting (a timeout, an
   * interrupt) never gives back a permit its task still uses.
   */
  private final boolean callerHoldsPermit;
  /** The bulkhead counts this guard's successes as it takes their permits back (see {@link CallStats}). */
  private final boolean successesInBulkhead;
  private final RetryConfig retry;
  private final RetryBudget budget;
  private final Duration timeout;
  private final long timeoutNanos;
  private final BoundedExecutor executor;
  private final BulkheadFullException executorRejection;
  /** The call runs on another thread: a timeout's, or the guard's executor. */
  private final boolean isolated;
  private final boolean timed;
  private final CallStats stats;
  private final Telemetry telemetry;
  private final Admission admission;
  private final boolean observesResults;
  private final Recovery recovery;
  private final LatencyHistogram latency;

  private Guard(Builder b, CallStats stats, boolean successesInBulkhead) {
    this.name = b.name;
    this.runtime = b.runtime;
    this.ticker = b.runtime.ticker();
    this.breaker = b.breaker;
    this.bulkhead = b.bulkhead;
    this.callerHoldsPermit = b.callerHoldsPermit();
    this.successesInBulkhead = successesInBulkhead;
    this.retry = b.retry;
    this.stats = stats;
    this.budget =
        b.retry == null
            ? null
            : new RetryBudget(b.retry.budgetRatio(), b.retry.minRetriesPerSecond(), ticker, stats::calls);
    this.timeout = b.timeout;
    this.timeoutNanos = b.timeout == null ? 0 : b.timeout.toNanos();
    this.executor = b.executor;
    this.executorRejection = b.executor == null ? null : new BulkheadFullException(b.executor.name());
    this.isolated = b.timeout != null || b.executor != null;
    this.timed = b.recordLatency || b.timeout != null || (breaker != null && breaker.timesCalls());
    this.telemetry = b.runtime.telemetry();
    this.admission = b.admission;
    this.observesResults = b.admission != null && b.admission.observesResults();
    this.recovery = b.recovery;
    this.latency = b.recordLatency ? new LatencyHistogram() : null;
  }

  /** A {@link Guard} builder; get one from {@link Brownout#guard(String)}. */
  static Builder builder(Brownout runtime, String name, String family, CallStats sharedStats) {
    return new Builder(runtime, name, family, sharedStats);
  }

  public String name() {
    return name;
  }

  /** The guard's circuit breaker, if it has one. */
  public java.util.Optional<CircuitBreaker> circuitBreaker() {
    return java.util.Optional.ofNullable(breaker);
  }

  /** The guard's bulkhead, if it has one. */
  public java.util.Optional<Bulkhead> bulkhead() {
    return java.util.Optional.ofNullable(bulkhead);
  }

  /** How many calls this guard has seen so far, by outcome (for controllers and admin pages). */
  public CallCounts counts() {
    return new CallCounts(
        stats.count(Outcome.SUCCESS),
        stats.count(Outcome.FAILURE),
        stats.count(Outcome.REJECTED),
        stats.count(Outcome.FALLBACK),
        stats.count(Outcome.TIMEOUT),
        stats.count(Outcome.DEGRADED));
  }

  /**
   * The durations of this guard's calls so far, if it records latency ({@link
   * Builder#recordLatency}); empty otherwise.
   */
  public LatencySnapshot latency() {
    return latency == null ? LatencySnapshot.empty() : new LatencySnapshot(latency.snapshot());
  }

  /** Runs {@code callable} through the policies; failures and rejections reach the caller. */
  public <T> T call(Callable<T> callable) throws Exception {
    return execute(null, callable, CALLABLE, null);
  }

  /** Runs {@code callable}; a failure or rejection that {@code fallback} handles becomes its value. */
  public <T> T call(Callable<T> callable, Fallback<T> fallback) throws Exception {
    return execute(null, callable, CALLABLE, fallback);
  }

  /**
   * Runs {@code callable} on behalf of {@code key}: a user id keeps a percentage rollout sticky for
   * that user, and the arguments of a call let a degraded feature serve the last good value for them.
   */
  public <T> T callFor(Object key, Callable<T> callable) throws Exception {
    return execute(key, callable, CALLABLE, null);
  }

  /** Runs {@code callable} on behalf of {@code key}, with a fallback. */
  public <T> T callFor(Object key, Callable<T> callable, Fallback<T> fallback) throws Exception {
    return execute(key, callable, CALLABLE, fallback);
  }

  /**
   * Runs {@code call} with {@code key} as its argument and as the call's key ({@link #callFor}). Unlike
   * a lambda that captures the argument, {@code call} can be built once (a method reference held in a
   * field), so a call with an argument allocates nothing; the generated classes of the annotation
   * processor call their one-parameter methods this way.
   */
  public <K, T> T callWith(K key, KeyedCall<? super K, ? extends T> call) throws Exception {
    return execute(key, call, KEYED, null);
  }

  /** {@link #callWith(Object, KeyedCall)} with a fallback. */
  public <K, T> T callWith(K key, KeyedCall<? super K, ? extends T> call, Fallback<T> fallback) throws Exception {
    return execute(key, call, KEYED, fallback);
  }

  /**
   * A call that takes its key as its argument.
   *
   * @param <K> the key's type
   * @param <T> the result's type
   */
  @FunctionalInterface
  public interface KeyedCall<K, T> {
    T call(K key) throws Exception;
  }

  /**
   * Runs {@code supplier} through the policies. A checked exception can only come from an interrupted
   * timeout wait; it arrives wrapped in a {@link CompletionException} with the interrupt flag set.
   */
  public <T> T get(Supplier<T> supplier) {
    return getUnchecked(supplier, null);
  }

  /** Runs {@code supplier}; a failure or rejection that {@code fallback} handles becomes its value. */
  public <T> T get(Supplier<T> supplier, Fallback<T> fallback) {
    return getUnchecked(supplier, fallback);
  }

  /** Runs {@code runnable} through the policies. */
  public void run(ThrowingRunnable runnable) throws Exception {
    execute(null, runnable, RUNNABLE, null);
  }

  /**
   * Runs an asynchronous call: the stage is started only if the policies admit it, and the returned
   * stage completes with its result, a fallback value, or the failure. A bulkhead does not wait here:
   * a full one rejects at once, since waiting would block the calling thread.
   */
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<T>> supplier) {
    return new AsyncCall<T>(this, null, supplier, null).start();
  }

  /** Runs an asynchronous call; a failure or rejection that {@code fallback} handles becomes its value. */
  public <T> CompletionStage<T> callAsync(
      Supplier<? extends CompletionStage<T>> supplier, Fallback<T> fallback) {
    return new AsyncCall<T>(this, null, supplier, fallback).start();
  }

  /** Runs an asynchronous call on behalf of {@code key} (see {@link #callFor(Object, Callable)}). */
  public <T> CompletionStage<T> callAsyncFor(Object key, Supplier<? extends CompletionStage<T>> supplier) {
    return new AsyncCall<T>(this, key, supplier, null).start();
  }

  /** Runs an asynchronous call on behalf of {@code key}, with a fallback. */
  public <T> CompletionStage<T> callAsyncFor(
      Object key, Supplier<? extends CompletionStage<T>> supplier, Fallback<T> fallback) {
    return new AsyncCall<T>(this, key, supplier, fallback).start();
  }

  /** A {@link Runnable} that may throw a checked exception. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  private <T> T getUnchecked(Supplier<T> supplier, Fallback<T> fallback) {
    try {
      return execute(null, supplier, SUPPLIER, fallback);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  @SuppressWarnings("unchecked") // a recovery value has the type of the caller's T
  private <T> T execute(Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    if (recovery == null) {
      return admit(key, task, kind, fallback);
    }
    try {
      return admit(key, task, kind, fallback);
    } catch (Throwable thrown) {
      return (T) recovery.recover(name, thrown);
    }
  }

  @SuppressWarnings("unchecked") // a substitute value has the type of the caller's T
  private <T> T admit(Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    if (admission != null && !admission.admits(key)) {
      stats.record(Outcome.DEGRADED, 0L);
      return (T) admission.denied(key);
    }
    return protect(key, task, kind, fallback);
  }

  /**
   * The retry loop and the policies inside it. Kept small (its cold parts are in {@link
   * #afterFailure} and {@link #rejectedInside}) so that the JIT inlines it into the caller.
   */
  @SuppressWarnings("unchecked") // the task's result has the type of the caller's T
  private <T> T protect(Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    int attempt = 1;
    while (true) {
      if (breaker != null && !breaker.tryAcquirePermission()) {
        return rejected(key, breaker.rejection(), fallback);
      }
      int home = 0;
      if (callerHoldsPermit) {
        home = Stripes.current();
        if (!acquireBulkhead(home)) {
          return rejectedInside(key, bulkhead.rejection(), fallback);
        }
      }
      long start = timed ? ticker.read() : 0L;
      T result;
      try {
        result = (T) (isolated ? invokeIsolated(key, task, kind) : invoke(key, task, kind));
      } catch (Throwable failure) {
        releasePermit(home);
        Object next = afterFailure(key, failure, fallback, attempt, start);
        if (next == RETRY) {
          attempt++;
          continue;
        }
        return (T) next;
      }
      long elapsed;
      boolean retryResult;
      try {
        elapsed = timed ? ticker.read() - start : 0L;
        retryResult = recordResult(result, elapsed, attempt);
      } catch (Throwable e) {
        // A predicate, listener or ticker that throws, even a checked exception thrown sneakily.
        releasePermit(home);
        throw e;
      }
      if (successesInBulkhead && !retryResult) {
        bulkhead.releaseAfterSuccess(home);
        stats.recordDuration(Outcome.SUCCESS, elapsed);
      } else {
        releasePermit(home);
        if (retryResult && backoff(attempt)) {
          attempt++;
          continue;
        }
        stats.record(Outcome.SUCCESS, elapsed);
      }
      if (observesResults) {
        admission.succeeded(key, result);
      }
      return result;
    }
  }

  /** Records a returned attempt with the latency histogram and the breaker; true to retry it. */
  private boolean recordResult(Object result, long elapsed, int attempt) {
    if (latency != null) {
      latency.record(elapsed);
    }
    if (breaker != null) {
      breaker.onResult(elapsed, result);
    }
    return retry != null
        && retry.hasResultPredicate()
        && attempt < retry.maxAttempts()
        && retry.retriesOnResult(result)
        && budget.tryWithdraw();
  }

  /**
   * A failed attempt, its permit already returned: {@link #RETRY} to try again, else the call's
   * value (a fallback's) or its failure, thrown.
   */
  private <T> Object afterFailure(Object key, Throwable failure, Fallback<T> fallback, int attempt, long start)
      throws Exception {
    if ((bulkhead != null && failure == bulkhead.rejection()) || (executor != null && failure == executorRejection)) {
      // Our own bulkhead full inside the timeout's thread, or our executor saturated: a rejection,
      // not a failure.
      return rejectedInside(key, (RejectedCallException) failure, fallback);
    }
    long elapsed = timed ? ticker.read() - start : 0L;
    if (latency != null) {
      latency.record(elapsed);
    }
    if (breaker != null) {
      breaker.onError(elapsed, failure);
    }
    if (retry != null
        && attempt < retry.maxAttempts()
        && retry.retriesOn(failure)
        && budget.tryWithdraw()
        && backoff(attempt)) {
      return RETRY;
    }
    return failed(key, failure, fallback, elapsed);
  }

  /** A rejection past the breaker (bulkhead or executor): the breaker's permission is given back. */
  private <T> T rejectedInside(Object key, RejectedCallException rejection, Fallback<T> fallback) throws Exception {
    if (breaker != null) {
      breaker.releasePermission();
    }
    return rejected(key, rejection, fallback);
  }

  /** Returns the permit the calling thread took for this attempt, if it took one. */
  private void releasePermit(int home) {
    if (callerHoldsPermit) {
      bulkhead.release(home);
    }
  }

  /** Takes a bulkhead permit; an interrupt while waiting counts as a rejection, flag restored. */
  private boolean acquireBulkhead(int home) {
    try {
      return bulkhead.acquire(home);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the task as the functional type its kind names. */
  @SuppressWarnings("unchecked") // a keyed call was given with a key of the type it takes
  private static Object invoke(Object key, Object task, int kind) throws Exception {
    if (kind == CALLABLE) {
      return ((Callable<?>) task).call();
    }
    if (kind == KEYED) {
      return ((KeyedCall<Object, ?>) task).call(key);
    }
    if (kind == SUPPLIER) {
      return ((Supplier<?>) task).get();
    }
    ((ThrowingRunnable) task).run();
    return null;
  }

  /**
   * The call on the guard's executor or a runtime thread, which takes (and may wait for) the bulkhead
   * permit and gives it back when the call really ends; the caller waits at most the timeout.
   */
  private Object invokeIsolated(Object key, Object task, int kind) throws Exception {
    Callable<Object> call =
        () -> {
          if (bulkhead == null) {
            return invoke(key, task, kind);
          }
          int worker = Stripes.current();
          if (!bulkhead.acquire(worker)) {
            throw bulkhead.rejection();
          }
          try {
            return invoke(key, task, kind);
          } finally {
            bulkhead.release(worker);
          }
        };
    Future<Object> future;
    if (executor == null) {
      future = runtime.timeoutExecutor().submit(call);
    } else {
      try {
        future = executor.submit(name, call);
      } catch (ExecutorSaturatedException e) {
        throw executorRejection;
      }
    }
    try {
      return timeoutNanos > 0 ? future.get(timeoutNanos, TimeUnit.NANOSECONDS) : future.get();
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new CallTimeoutException(name, timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw (Error) cause;
    }
  }

  /** Sleeps before the next attempt; false (interrupt flag restored) if interrupted. */
  private boolean backoff(int attempt) {
    long nanos = retry.backoffNanos(attempt);
    if (nanos <= 0) {
      return true;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private <T> T rejected(Object key, RejectedCallException rejection, Fallback<T> fallback) throws Exception {
    if (telemetry.hasListeners()) {
      telemetry.rejected(name, rejection);
    }
    if (fallback != null && fallback.handles(rejection)) {
      stats.record(Outcome.FALLBACK, 0L);
      return fallback.apply(key, rejection);
    }
    stats.record(Outcome.REJECTED, 0L);
    throw rejection;
  }

  private <T> T failed(Object key, Throwable failure, Fallback<T> fallback, long elapsed) throws Exception {
    if (fallback != null && fallback.handles(failure)) {
      stats.record(Outcome.FALLBACK, elapsed);
      return fallback.apply(key, failure);
    }
    stats.record(failure instanceof CallTimeoutException ? Outcome.TIMEOUT : Outcome.FAILURE, elapsed);
    if (failure instanceof Exception exception) {
      throw exception;
    }
    throw (Error) failure;
  }

  // Package-private access for AsyncCall, which runs the same policies on completion callbacks.

  CircuitBreaker breaker() {
    return breaker;
  }

  Bulkhead bulkheadOrNull() {
    return bulkhead;
  }

  RetryConfig retry() {
    return retry;
  }

  RetryBudget budget() {
    return budget;
  }

  long timeoutNanos() {
    return timeoutNanos;
  }

  Duration timeout() {
    return timeout;
  }

  boolean timed() {
    return timed;
  }

  Ticker ticker() {
    return ticker;
  }

  CallStats stats() {
    return stats;
  }

  Telemetry telemetry() {
    return telemetry;
  }

  Brownout runtime() {
    return runtime;
  }

  Admission admission() {
    return admission;
  }

  Recovery recovery() {
    return recovery;
  }

  /** Records one attempt's duration, if this guard records latency. */
  void recordLatency(long elapsed) {
    if (latency != null) {
      latency.record(elapsed);
    }
  }

  @Override
  public String toString() {
    return "Guard[" + name + "]";
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
    private RetryConfig retry;
    private Duration timeout;
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
      this.breaker = isKeyed() ? runtime.detachedBreaker(name, family, config) : runtime.circuitBreaker(name, config);
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

    public Builder retry(RetryConfig config) {
      this.retry = Settings.notNull("guard.retry", config);
      return this;
    }

    /**
     * The longest a caller waits for one attempt. A synchronous call then runs on a runtime thread and
     * is interrupted at the deadline; an asynchronous one is cancelled.
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Settings.positive("guard.timeout", timeout);
      return this;
    }

    /**
     * Runs each synchronous call on {@code executor}: thread isolation, with the executor's bounds as
     * the bulkhead. A saturated executor is a rejection ({@link BulkheadFullException} named after the
     * executor), never retried; with a {@link #timeout}, the caller stops waiting at the deadline and
     * the task is cancelled. Asynchronous calls do not use it.
     */
    public Builder executor(BoundedExecutor executor) {
      this.executor = Settings.notNull("guard.executor", executor);
      return this;
    }

    /** Times every call for the {@code brownout.calls} timer (two clock reads per call). */
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

    /** A bulkhead whose permit the calling thread takes and returns: no thread runs the call for it. */
    private boolean callerHoldsPermit() {
      return bulkhead != null && timeout == null && executor == null;
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
