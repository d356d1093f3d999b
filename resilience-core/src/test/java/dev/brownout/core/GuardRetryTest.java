package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How a guard retries: it stops at the first success, retries only what its predicates accept
 * (never an error, a rejection by the breaker or the bulkhead), returns a rejected result when
 * attempts run out, and a retry budget stops a retry storm; sync and async alike.
 */
class GuardRetryTest extends GuardFixture {

  @Test
  void aRetryStopsAtTheFirstSuccess() throws Exception {
    Guard guard = brownout.guard("flaky").retry(noWaitRetry(5).build()).build();

    String value =
        guard.call(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IOException("not yet");
              }
              return "ok";
            });

    assertThat(value).isEqualTo("ok");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void onlyFailuresTheRetryPredicateAcceptsAreRetried() throws Exception {
    Guard guard =
        brownout
            .guard("selective")
            .retry(noWaitRetry(5).retryOn(e -> e instanceof IOException).build())
            .build();

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new IllegalArgumentException("bad request");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void errorsAreNeverRetried() {
    Guard guard = brownout.guard("errors").retry(noWaitRetry(5).build()).build();

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new AssertionError("bug");
                    }))
        .isInstanceOf(AssertionError.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void aResultThePredicateRejectsIsRetriedAndReturnedWhenAttemptsRunOut() throws Exception {
    Guard guard =
        brownout
            .guard("results")
            .retry(noWaitRetry(3).retryOnResult("busy"::equals).build())
            .build();

    assertThat(
            guard.call(
                () -> {
                  attempts.incrementAndGet();
                  return "busy";
                }))
        .isEqualTo("busy");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void theBreakerSeesEveryAttemptAndAnOpenBreakerIsNotRetried() throws Exception {
    Guard guard =
        brownout
            .guard("both")
            .retry(noWaitRetry(10).build())
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4)
                    .build())
            .build();

    assertThatThrownBy(() -> guard.call(this::failing))
        .isInstanceOf(CallNotPermittedException.class);

    assertThat(attempts).hasValue(4);
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void aFullBulkheadIsNotRetried() throws Exception {
    Guard guard =
        brownout
            .guard("full")
            .retry(noWaitRetry(5).build())
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();

    String inner =
        guard.call(
            () -> {
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
    Guard guard =
        brownout.guard("generous").retry(noWaitRetry(3).budget(1.0, 1_000_000).build()).build();

    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> guard.call(this::failing)).isInstanceOf(IOException.class);
    }
    assertThat(attempts).hasValue(300);
  }

  @Test
  void anAsyncCallIsRetriedAndFallsBack() {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("async-retry").retry(noWaitRetry(3).build()).build();

      String value =
          guard
              .callAsync(
                  () -> {
                    attempts.incrementAndGet();
                    return CompletableFuture.<String>failedFuture(new IOException("down"));
                  },
                  Fallback.value("fallback"))
              .toCompletableFuture()
              .join();

      assertThat(value).isEqualTo("fallback");
      assertThat(attempts).hasValue(3);
    }
  }
}
