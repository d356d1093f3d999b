package dev.brownout.core;

import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One asynchronous call through a guard: the same policies in the same order as the synchronous path,
 * driven by completion callbacks. Each attempt's end is decided once, by whichever comes first, the
 * stage completing or the timeout; the bulkhead permit is returned only when the stage really ends,
 * since until then the work still occupies the dependency.
 */
final class AsyncCall<T> {

  private final Guard guard;
  private final Object key;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final Fallback<T> fallback;
  private final CompletableFuture<T> result = new CompletableFuture<>();
  private int attempt = 1;

  AsyncCall(Guard guard, Object key, Supplier<? extends CompletionStage<T>> supplier, Fallback<T> fallback) {
    this.guard = guard;
    this.key = key;
    this.supplier = supplier;
    this.fallback = fallback;
  }

  CompletionStage<T> start() {
    Admission admission = guard.admission();
    if (admission != null && !admission.admits(key)) {
      guard.stats().record(Outcome.DEGRADED, 0L);
      try {
        complete(admission.denied(key));
      } catch (Throwable refused) {
        finish(refused);
      }
      return result;
    }
    attempt();
    return result;
  }

  @SuppressWarnings("unchecked") // substitute and recovery values have the type of the caller's T
  private void complete(Object value) {
    result.complete((T) value);
  }

  /** Ends the call with {@code failure}, unless the guard's recovery turns it into a value. */
  private void finish(Throwable failure) {
    Recovery recovery = guard.recovery();
    if (recovery == null) {
      result.completeExceptionally(failure);
      return;
    }
    try {
      complete(recovery.recover(guard.name(), failure));
    } catch (Throwable rethrown) {
      result.completeExceptionally(rethrown);
    }
  }

  private void attempt() {
    CircuitBreaker breaker = guard.breaker();
    if (breaker != null && !breaker.tryAcquirePermission()) {
      rejected(breaker.rejection());
      return;
    }
    Bulkhead bulkhead = guard.bulkheadOrNull();
    if (bulkhead != null && !bulkhead.tryAcquire()) {
      if (breaker != null) {
        breaker.releasePermission();
      }
      rejected(bulkhead.rejection());
      return;
    }
    long start = guard.timed() ? guard.ticker().read() : 0L;
    AtomicBoolean decided = new AtomicBoolean();
    CompletionStage<T> stage;
    try {
      stage = supplier.get();
      if (stage == null) {
        throw new NullPointerException("guard '" + guard.name() + "': the supplier returned a null stage");
      }
    } catch (Throwable failure) {
      if (bulkhead != null) {
        bulkhead.release();
      }
      decided.set(true);
      attemptEnded(start, null, failure);
      return;
    }
    Future<?> timer = scheduleTimeout(stage, start, decided);
    stage.whenComplete(
        (value, failure) -> {
          if (bulkhead != null) {
            bulkhead.release();
          }
          if (decided.compareAndSet(false, true)) {
            if (timer != null) {
              timer.cancel(false);
            }
            attemptEnded(start, value, failure);
          }
        });
  }

  private Future<?> scheduleTimeout(CompletionStage<T> stage, long start, AtomicBoolean decided) {
    if (guard.timeoutNanos() == 0) {
      return null;
    }
    return guard.runtime()
        .scheduler()
        .schedule(
            () -> {
              if (decided.compareAndSet(false, true)) {
                if (stage instanceof CompletableFuture<?> future) {
                  future.cancel(true);
                }
                attemptEnded(start, null, new CallTimeoutException(guard.name(), guard.timeout()));
              }
            },
            guard.timeoutNanos(),
            TimeUnit.NANOSECONDS);
  }

  private void attemptEnded(long start, T value, Throwable thrown) {
    long elapsed = guard.timed() ? guard.ticker().read() - start : 0L;
    guard.recordLatency(elapsed);
    CircuitBreaker breaker = guard.breaker();
    RetryConfig retry = guard.retry();
    if (thrown == null) {
      if (breaker != null) {
        breaker.onResult(elapsed, value);
      }
      if (retry != null
          && retry.hasResultPredicate()
          && attempt < retry.maxAttempts()
          && retry.retriesOnResult(value)
          && guard.budget().tryWithdraw()) {
        retryLater();
        return;
      }
      guard.stats().record(Outcome.SUCCESS, elapsed);
      Admission admission = guard.admission();
      if (admission != null && admission.observesResults()) {
        admission.succeeded(key, value);
      }
      result.complete(value);
      return;
    }
    Throwable failure = FailureClassifier.unwrap(thrown);
    if (failure instanceof BulkheadFullException || failure instanceof CallNotPermittedException) {
      // A rejection from a nested guard inside the stage: not this dependency's failure.
      if (breaker != null) {
        breaker.releasePermission();
      }
    } else if (breaker != null) {
      breaker.onError(elapsed, failure);
    }
    if (retry != null && attempt < retry.maxAttempts() && retry.retriesOn(failure) && guard.budget().tryWithdraw()) {
      retryLater();
      return;
    }
    failed(failure, elapsed);
  }

  private void retryLater() {
    long nanos = guard.retry().backoffNanos(attempt);
    attempt++;
    if (nanos <= 0) {
      attempt();
      return;
    }
    try {
      Future<?> unused = guard.runtime().scheduler().schedule(this::attemptSafely, nanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException notScheduled) {
      // The runtime is closed or its scheduler refuses work: the caller must still hear back.
      finish(notScheduled);
    }
  }

  /** An attempt run by the scheduler: whatever goes wrong reaches the caller's stage. */
  private void attemptSafely() {
    try {
      attempt();
    } catch (Throwable unexpected) {
      finish(unexpected);
    }
  }

  private void rejected(RejectedCallException rejection) {
    Telemetry telemetry = guard.telemetry();
    if (telemetry.hasListeners()) {
      telemetry.rejected(guard.name(), rejection);
    }
    if (fallback != null && fallback.handles(rejection)) {
      guard.stats().record(Outcome.FALLBACK, 0L);
      completeWithFallback(rejection);
      return;
    }
    guard.stats().record(Outcome.REJECTED, 0L);
    finish(rejection);
  }

  private void failed(Throwable failure, long elapsed) {
    if (fallback != null && fallback.handles(failure)) {
      guard.stats().record(Outcome.FALLBACK, elapsed);
      completeWithFallback(failure);
      return;
    }
    guard.stats().record(failure instanceof CallTimeoutException ? Outcome.TIMEOUT : Outcome.FAILURE, elapsed);
    finish(failure);
  }

  private void completeWithFallback(Throwable failure) {
    try {
      result.complete(fallback.apply(key, failure));
    } catch (Throwable fallbackFailure) {
      finish(fallbackFailure);
    }
  }
}
