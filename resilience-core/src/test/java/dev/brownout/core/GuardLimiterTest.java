package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A guard held to an adaptive concurrency limiter: a permit per attempt, taken after the breaker
 * and the bulkhead; a refusal is a rejection with cause concurrency_limited, reported to listeners
 * by the refusing guard, seen by a fallback, never the breaker's failure, never retried; a value is
 * a success, a timeout or a rejection from inside a drop, any other failure ignored; a partition's
 * guaranteed share admits its calls at the limit.
 */
class GuardLimiterTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<String> rejections = new CopyOnWriteArrayList<>();
  private final Brownout brownout =
      Brownout.builder()
          .ticker(ticker)
          .listener(
              new BrownoutListener() {
                @Override
                public void onRejected(String guard, RejectedCallException rejection) {
                  rejections.add(guard + ":" + rejection.getMessage());
                }
              })
          .build();

  @AfterEach
  void close() {
    brownout.close();
  }

  private Limiter fixed(int limit) {
    return brownout.limiter(
        "db",
        LimiterConfig.builder()
            .algorithm(LimiterConfig.Algorithm.FIXED)
            .limits(limit, limit, limit)
            .build());
  }

  /** AIMD over windows of one sample: each window's outcome moves the limit at once. */
  private Limiter learning() {
    return brownout.limiter(
        "learning",
        LimiterConfig.builder()
            .algorithm(LimiterConfig.Algorithm.AIMD)
            .limits(1, 20, 100)
            .minWindow(Duration.ofMillis(1))
            .minSamples(1)
            .maxInFlightFactor(50)
            .build());
  }

  @Test
  void atTheLimitAnAttemptIsRefusedCountedAndReportedOnce() throws Exception {
    Limiter limiter = fixed(1);
    Guard guard = brownout.guard("orders").limiter(limiter).build();

    Object inner =
        guard.call(
            () -> {
              assertThat(limiter.inFlight()).isEqualTo(1);
              try {
                return guard.call(() -> "never");
              } catch (ConcurrencyLimitedException refused) {
                return refused;
              }
            });

    assertThat(inner)
        .isInstanceOfSatisfying(
            ConcurrencyLimitedException.class,
            e -> {
              assertThat(e.source()).isEqualTo("db");
              assertThat(e.partition()).isEmpty();
              assertThat(e).hasMessage("limiter 'db' is at its limit");
            });
    assertThat(limiter.inFlight()).isZero();
    assertThat(guard.counts().rejected()).isEqualTo(1);
    assertThat(guard.counts().success()).isEqualTo(1);
    assertThat(rejections).containsExactly("orders:limiter 'db' is at its limit");
  }

  @Test
  void aRefusalIsNotTheBreakersFailureNorRetriedAndAFallbackSeesIt() throws Exception {
    Limiter limiter = fixed(1);
    Guard guard =
        brownout
            .guard("orders")
            .circuitBreaker(
                CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build())
            .retry(
                RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build())
            .limiter(limiter)
            .build();
    long held = limiter.tryAcquire();
    int[] attempts = {0};

    String served =
        guard.call(
            () -> {
              attempts[0]++;
              return "never";
            },
            Fallback.on(ConcurrencyLimitedException.class, e -> "fallback after " + e.source()));
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> guard.call(() -> "never"))
          .isInstanceOf(ConcurrencyLimitedException.class);
    }

    assertThat(served).isEqualTo("fallback after db");
    assertThat(attempts[0]).isZero();
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(guard.counts().fallbackAfterRejection()).isEqualTo(1);
    assertThat(guard.counts().rejected()).isEqualTo(5);
    limiter.onIgnored(held);
    assertThat(guard.call(() -> "now")).isEqualTo("now");
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void aBulkheadRejectionTakesNoPermitAndAnOpenBreakerNeither() throws Exception {
    Limiter limiter = fixed(5);
    Guard guard =
        brownout
            .guard("orders")
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .limiter(limiter)
            .build();

    guard.call(
        () -> {
          assertThatThrownBy(() -> guard.call(() -> "never"))
              .isInstanceOf(BulkheadFullException.class);
          return assertThat(limiter.inFlight()).isEqualTo(1);
        });
    guard.circuitBreaker().orElseThrow().forceOpen();
    assertThatThrownBy(() -> guard.call(() -> "never"))
        .isInstanceOf(CallNotPermittedException.class);

    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.partitions().get(0).refused()).isZero();
  }

  @Test
  void aValueIsASampleAnExceptionIsIgnoredATimeoutAndARejectionFromInsideAreDrops()
      throws Exception {
    Limiter limiter = learning();
    Guard guard = brownout.guard("orders").limiter(limiter).build();
    Guard full = brownout.guard("full").limiter(fixed(1)).build();

    guard.call(
        () -> {
          ticker.advance(Duration.ofMillis(2));
          return "value";
        });
    assertThat(limiter.lastWindow().samples()).isEqualTo(1);
    assertThat(limiter.lastWindow().drops()).isZero();
    int limit = limiter.limit();

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      ticker.advance(Duration.ofMillis(2));
                      throw new IllegalArgumentException("a bad request");
                    }))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.lastWindow().drops()).as("an ignored failure").isZero();
    assertThat(limiter.limit()).isGreaterThanOrEqualTo(limit);

    limit = limiter.limit();
    assertThatThrownBy(
            () ->
                guard.call(
                    () ->
                        full.call(
                            () -> {
                              ticker.advance(Duration.ofMillis(2));
                              return full.call(() -> "refused inside");
                            })))
        .isInstanceOf(ConcurrencyLimitedException.class);
    assertThat(limiter.lastWindow().drops()).as("a rejection from inside").isEqualTo(1);
    assertThat(limiter.limit()).isLessThan(limit);

    limit = limiter.limit();
    CompletableFuture<String> never = new CompletableFuture<>();
    Guard timed = brownout.guard("timed").timeout(Duration.ofHours(1)).limiter(limiter).build();
    Thread firing = TimerSlots.fireWhenArmed(brownout.timer());
    CompletableFuture<String> call = timed.callAsync(() -> never).toCompletableFuture();
    ticker.advance(Duration.ofMillis(2));
    firing.join();
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(CallTimeoutException.class);
    assertThat(limiter.lastWindow().drops()).as("a timeout").isEqualTo(1);
    assertThat(limiter.limit()).isLessThan(limit);
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void anAsynchronousAttemptHoldsItsPermitUntilItsStageEndsAndACancelGivesItBack()
      throws Exception {
    Limiter limiter = fixed(1);
    Guard guard = brownout.guard("orders").limiter(limiter).build();
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletableFuture<String> first = guard.callAsync(() -> pending).toCompletableFuture();
    CompletableFuture<String> second =
        guard.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture();
    assertThatThrownBy(second::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(ConcurrencyLimitedException.class);
    assertThat(limiter.inFlight()).isEqualTo(1);

    first.cancel(true);
    assertThat(pending).isCancelled();
    assertThat(limiter.inFlight()).isZero();
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture("after"))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isEqualTo("after");
  }

  @Test
  void aPartitionsShareAdmitsItsCallsAtTheLimit() throws Exception {
    Limiter limiter =
        brownout.limiter(
            "shared",
            LimiterConfig.builder()
                .algorithm(LimiterConfig.Algorithm.FIXED)
                .limits(2, 2, 2)
                .partition("checkout", 0.5)
                .build());
    Guard checkout = brownout.guard("checkout").limiter(limiter.partition("checkout")).build();
    Guard browse = brownout.guard("browse").limiter(limiter).build();
    long[] held = {limiter.tryAcquire(), limiter.tryAcquire()};

    assertThatThrownBy(() -> browse.call(() -> "never"))
        .isInstanceOf(ConcurrencyLimitedException.class);
    assertThat(checkout.call(() -> "within its share")).isEqualTo("within its share");
    assertThatThrownBy(
            () -> checkout.call(() -> checkout.call(() -> "past its share")),
            "checkout's one guaranteed slot is taken by the outer call")
        .isInstanceOfSatisfying(
            ConcurrencyLimitedException.class,
            e -> assertThat(e).hasMessageEndingWith("for partition 'checkout'"));

    limiter.onIgnored(held[0]);
    limiter.onIgnored(held[1]);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.partition("checkout").inFlight()).isZero();
  }

  @Test
  void aNullLimiterIsNamed() {
    assertThatThrownBy(() -> brownout.guard("g").limiter((Limiter) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("guard.limiter");
  }
}
