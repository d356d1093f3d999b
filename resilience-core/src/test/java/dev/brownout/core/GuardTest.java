package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardTest {

  private final ManualTicker ticker = new ManualTicker();
  private final Brownout brownout = Brownout.builder().ticker(ticker).build();
  private final AtomicInteger attempts = new AtomicInteger();

  @AfterEach
  void close() {
    brownout.close();
  }

  private static RetryConfig.Builder noWaitRetry(int attempts) {
    return RetryConfig.builder().maxAttempts(attempts).backoff(Backoff.fixed(Duration.ZERO));
  }

  private String failing() throws IOException {
    attempts.incrementAndGet();
    throw new IOException("down");
  }

  @Test
  void theFallbackSeesTheLastFailureOnceRetriesAreSpent() throws Exception {
    Guard guard = brownout.guard("retried").retry(noWaitRetry(3).build()).build();
    List<String> seen = new ArrayList<>();

    String value = guard.call(() -> {
      int n = attempts.incrementAndGet();
      throw new IOException("attempt " + n);
    }, Fallback.on(IOException.class, e -> {
      seen.add(e.getMessage());
      return "fallback";
    }));

    assertThat(value).isEqualTo("fallback");
    assertThat(attempts).hasValue(3);
    assertThat(seen).containsExactly("attempt 3");
  }

  @Test
  void aRetryStopsAtTheFirstSuccess() throws Exception {
    Guard guard = brownout.guard("flaky").retry(noWaitRetry(5).build()).build();

    String value = guard.call(() -> {
      if (attempts.incrementAndGet() < 3) {
        throw new IOException("not yet");
      }
      return "ok";
    });

    assertThat(value).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void theBreakerSeesEveryAttemptAndAnOpenBreakerIsNotRetried() throws Exception {
    Guard guard = brownout.guard("both")
        .retry(noWaitRetry(10).build())
        .circuitBreaker(CircuitBreakerConfig.builder()
            .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4).build())
        .build();

    assertThatThrownBy(() -> guard.call(this::failing)).isInstanceOf(CallNotPermittedException.class);

    assertThat(attempts).hasValue(4);
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void aFullBulkheadIsNotRetried() throws Exception {
    Guard guard = brownout.guard("full")
        .retry(noWaitRetry(5).build())
        .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
        .build();

    String inner = guard.call(() -> {
      try {
        return guard.call(() -> "nested");
      } catch (BulkheadFullException full) {
        attempts.incrementAndGet();
        return "rejected once";
      }
    });

    assertThat(inner).isEqualTo("rejected once");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aBulkheadRejectionIsCountedOnce() throws Exception {
    Guard guard = brownout.guard("counted-once")
        .circuitBreaker(CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1).build())
        .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
        .build();

    guard.call(() -> {
      assertThatThrownBy(() -> guard.call(() -> "nested")).isInstanceOf(BulkheadFullException.class);
      return null;
    });

    assertThat(guard.counts()).isEqualTo(new CallCounts(1, 0, 1, 0, 0, 0, 0, 0));
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
  }

  @Test
  void onlyFailuresTheRetryPredicateAcceptsAreRetried() throws Exception {
    Guard guard = brownout.guard("selective")
        .retry(noWaitRetry(5).retryOn(e -> e instanceof IOException).build())
        .build();

    assertThatThrownBy(() -> guard.call(() -> {
      attempts.incrementAndGet();
      throw new IllegalArgumentException("bad request");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void errorsAreNeverRetried() {
    Guard guard = brownout.guard("errors").retry(noWaitRetry(5).build()).build();

    assertThatThrownBy(() -> guard.call(() -> {
      attempts.incrementAndGet();
      throw new AssertionError("bug");
    })).isInstanceOf(AssertionError.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aResultThePredicateRejectsIsRetriedAndReturnedWhenAttemptsRunOut() throws Exception {
    Guard guard = brownout.guard("results").retry(noWaitRetry(3).retryOnResult("busy"::equals).build()).build();

    assertThat(guard.call(() -> {
      attempts.incrementAndGet();
      return "busy";
    })).isEqualTo("busy");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void theRetryBudgetStopsARetryStorm() {
    Guard guard = brownout.guard("storm").retry(noWaitRetry(4).budget(0.1, 0).build()).build();
    int calls = 2_000;

    for (int i = 0; i < calls; i++) {
      ticker.advance(Duration.ofMillis(5));
      assertThatThrownBy(() -> guard.call(this::failing)).isInstanceOf(IOException.class);
    }

    int retries = attempts.get() - calls;
    assertThat(retries).isPositive().isLessThanOrEqualTo((int) (calls * 0.1) + 20);
  }

  @Test
  void withoutABudgetLimitEveryFailureIsRetried() {
    Guard guard = brownout.guard("generous").retry(noWaitRetry(3).budget(1.0, 1_000_000).build()).build();

    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> guard.call(this::failing)).isInstanceOf(IOException.class);
    }
    assertThat(attempts).hasValue(300);
  }

  @Test
  void fallbackHandlersAreTriedInOrderAndUnhandledFailuresPropagate() throws Exception {
    Guard guard = brownout.guard("typed").build();
    Fallback<String> fallback =
        Fallback.<String, IOException>on(IOException.class, e -> "io").orOn(RuntimeException.class, e -> "runtime");

    assertThat(guard.call(this::failing, fallback)).isEqualTo("io");
    assertThat(guard.call(() -> { throw new IllegalStateException(); }, fallback)).isEqualTo("runtime");
    assertThatThrownBy(() -> guard.call(() -> { throw new Exception("plain"); }, fallback))
        .isInstanceOf(Exception.class)
        .hasMessage("plain");
  }

  @Test
  void anOpenBreakerRejectsWithTheSameStacklessException() {
    Guard guard = brownout.guard("open").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    guard.circuitBreaker().orElseThrow().forceOpen();

    Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> "x"));
    Throwable second = org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> "x"));

    assertThat(first).isInstanceOf(CallNotPermittedException.class).isSameAs(second);
    assertThat(first.getStackTrace()).isEmpty();
    assertThat(((RejectedCallException) first).source()).isEqualTo("open");
  }

  @Test
  void checkedExceptionsPassThroughUnchangedAndGetWrapsNothingUnchecked() {
    Guard guard = brownout.guard("plain").build();

    assertThatThrownBy(() -> guard.call(this::failing)).isExactlyInstanceOf(IOException.class).hasMessage("down");
    assertThatThrownBy(() -> guard.get(() -> { throw new IllegalStateException("x"); }))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThat(guard.get(() -> "value")).isEqualTo("value");
  }

  @Test
  void runRunsTheTask() throws Exception {
    Guard guard = brownout.guard("runnable").build();

    guard.run(attempts::incrementAndGet);

    assertThat(attempts).hasValue(1);
  }

  @Test
  void aSyncTimeoutFreesTheCallerAndInterruptsTheWork() throws Exception {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("sync-timeout").timeout(Duration.ofMillis(50)).build();
      CountDownLatch interrupted = new CountDownLatch(1);

      assertThatThrownBy(() -> guard.call(() -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
        }
        return "late";
      })).isInstanceOf(CallTimeoutException.class).hasMessageContaining("sync-timeout");
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anAsyncTimeoutCompletesTheStageAndCancelsTheWork() {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("async-timeout").timeout(Duration.ofMillis(50)).build();
      CompletableFuture<String> never = new CompletableFuture<>();

      CompletableFuture<String> result = guard.callAsync(() -> never).toCompletableFuture();

      assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(never).isCancelled();
    }
  }

  @Test
  void anAsyncCallIsRetriedAndFallsBack() {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("async-retry").retry(noWaitRetry(3).build()).build();

      String value = guard.callAsync(() -> {
        attempts.incrementAndGet();
        return CompletableFuture.<String>failedFuture(new IOException("down"));
      }, Fallback.value("fallback")).toCompletableFuture().join();

      assertThat(value).isEqualTo("fallback");
      assertThat(attempts).hasValue(3);
    }
  }

  @Test
  void anAsyncSupplierThatThrowsIsAFailureNotACrash() {
    Guard guard = brownout.guard("async-throws").build();

    CompletableFuture<String> result = guard.<String>callAsync(() -> {
      throw new IllegalStateException("before the stage");
    }).toCompletableFuture();

    assertThatThrownBy(result::join).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAsyncCallDoesNotWaitForAFullBulkhead() {
    Guard guard = brownout.guard("async-full").bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build()).build();
    CompletableFuture<String> pending = new CompletableFuture<>();
    guard.callAsync(() -> pending);

    CompletableFuture<String> second = guard.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture();

    assertThatThrownBy(second::join).hasCauseInstanceOf(BulkheadFullException.class);
    pending.complete("done");
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
  }

  @Test
  void callWithHandsTheKeyToTheCallAndToAKeyedFallback() throws Exception {
    Guard guard = brownout.guard("keyed").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    Guard.KeyedCall<String, String> upper = key -> key.toUpperCase(java.util.Locale.ROOT);

    assertThat(guard.callWith("tea", upper)).isEqualTo("TEA");
    assertThat(guard.<String, String>callWith("tea", key -> {
      throw new IOException("down for " + key);
    }, Fallback.onKeyed(IOException.class, (key, e) -> key + ": " + e.getMessage()))).isEqualTo("tea: down for tea");
    assertThat(guard.counts().success()).isEqualTo(1);
    assertThat(guard.counts().fallback()).isEqualTo(1);
  }
}
