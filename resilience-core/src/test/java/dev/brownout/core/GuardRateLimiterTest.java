package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A guard's rate limiter: inside the breaker (a refusal is never the dependency's failure), counted
 * as a rejection with cause rate_limited, seen by a fallback, never retried unless the retry opts
 * in; a synchronous call may wait for its turn, an asynchronous one never does; each key of a keyed
 * guard has its own limiter.
 */
class GuardRateLimiterTest extends GuardFixture {

  private static RateLimiterConfig twoASecond() {
    return RateLimiterConfig.builder().kind(RateLimiterConfig.Kind.FIXED_WINDOW).limit(2).build();
  }

  @Test
  void aCallOverTheRateIsRefusedWithItsRetryTimeAndCountedRateLimited() throws Exception {
    Guard guard = brownout.guard("quotes").rateLimiter(twoASecond()).build();
    assertThat(guard.call(() -> 1)).isEqualTo(1);
    assertThat(guard.call(() -> 2)).isEqualTo(2);
    ticker.advance(Duration.ofMillis(300));

    assertThatThrownBy(() -> guard.call(() -> 3))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> {
              assertThat(e.source()).isEqualTo("quotes");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(700));
              assertThat(e.retryAfterSeconds()).isEqualTo(1);
            });
    CallCounts counts = guard.counts();
    assertThat(counts.success()).isEqualTo(2);
    assertThat(counts.rejected()).isEqualTo(1);
    ticker.advance(Duration.ofMillis(700));
    assertThat(guard.call(() -> 4)).isEqualTo(4);
  }

  @Test
  void aRefusalIsNotTheBreakersFailureNorRetriedAndAFallbackSeesIt() throws Exception {
    CircuitBreakerConfig breaker =
        CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2).build();
    Guard guard =
        brownout
            .guard("quotes")
            .circuitBreaker(breaker)
            .rateLimiter(RateLimiterConfig.builder().limit(1).period(Duration.ofHours(1)).build())
            .retry(noWaitRetry(3).build())
            .build();
    guard.call(() -> "first");

    String served =
        guard.call(
            () -> {
              attempts.incrementAndGet();
              return "never";
            },
            Fallback.on(RateLimitedException.class, e -> "fallback after " + e.source()));

    assertThat(served).isEqualTo("fallback after quotes");
    assertThat(attempts).hasValue(0);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> guard.call(() -> "never")).isInstanceOf(RateLimitedException.class);
    }
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(guard.counts().fallbackAfterRejection()).isEqualTo(1);
    assertThat(guard.counts().rejected()).isEqualTo(5);
  }

  @Test
  void aSynchronousCallWaitsForItsTurnWithinTheMaxWait() throws Exception {
    RateLimiterConfig config =
        RateLimiterConfig.builder()
            .limit(100) // one call every 10 ms
            .maxWaitDuration(Duration.ofMillis(25))
            .build();
    Guard guard = brownout.guard("smooth").rateLimiter(config).build();

    assertThat(guard.call(() -> 1)).isEqualTo(1);
    assertThat(guard.call(() -> 2)).as("10 ms ahead: waits").isEqualTo(2);
    assertThat(guard.call(() -> 3)).as("20 ms ahead: waits").isEqualTo(3);
    assertThatThrownBy(() -> guard.call(() -> 4))
        .as("30 ms ahead: past the wait")
        .isInstanceOf(RateLimitedException.class);
    assertThat(guard.counts().success()).isEqualTo(3);
  }

  @Test
  void anAsynchronousCallNeverWaitsForATurn() throws Exception {
    RateLimiterConfig config =
        RateLimiterConfig.builder().limit(100).maxWaitDuration(Duration.ofSeconds(1)).build();
    Guard guard = brownout.guard("smooth").rateLimiter(config).build();
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture(1))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
        .isEqualTo(1);

    CompletableFuture<Integer> second =
        guard.callAsync(() -> CompletableFuture.completedFuture(2)).toCompletableFuture();

    assertThatThrownBy(() -> second.join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RateLimitedException.class);
    assertThat(guard.counts().rejected()).isEqualTo(1);
  }

  @Test
  void anInterruptedWaitEndsWithARefusalAndKeepsTheInterrupt() throws Exception {
    RateLimiterConfig config =
        RateLimiterConfig.builder()
            .limit(1)
            .period(Duration.ofSeconds(30))
            .maxWaitDuration(Duration.ofMinutes(1))
            .build();
    Guard guard = brownout.guard("slow").rateLimiter(config).build();
    guard.call(() -> 1);

    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> guard.call(() -> 2)).isInstanceOf(RateLimitedException.class);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void eachKeyOfAKeyedGuardHasItsOwnLimiter() throws Exception {
    KeyedGuards<String> tenants =
        brownout.keyedGuards(
            "tenants", 100, Duration.ofMinutes(10), g -> g.rateLimiter(twoASecond()));
    for (String tenant : new String[] {"a", "b"}) {
      tenants.get(tenant).call(() -> 1);
      tenants.get(tenant).call(() -> 2);
      assertThatThrownBy(() -> tenants.get(tenant).call(() -> 3))
          .isInstanceOf(RateLimitedException.class);
    }
  }

  @Test
  void theRateLimiterIsConfiguredByKeyAndBadValuesAreNamed() throws Exception {
    try (Brownout configured =
        Brownout.builder()
            .ticker(ticker)
            .config(ConfigSource.of(Map.of("brownout.guard.quotes.rateLimiter.limit", "1"), "test"))
            .build()) {
      Guard guard = GuardSpec.named("quotes").set("rateLimiter", "limit", "100").build(configured);
      guard.call(() -> 1);
      assertThatThrownBy(() -> guard.call(() -> 2)).isInstanceOf(RateLimitedException.class);
    }
    assertThat(GuardSpec.check("rateLimiter", Map.of("limit", "10", "kind", "BURSTY")))
        .hasValue(
            "rateLimiter.kind must be SMOOTH, FIXED_WINDOW or ROLLING_WINDOW, but was 'BURSTY'");
    assertThat(GuardSpec.check("rateLimiter", Map.of("limit", "0")))
        .hasValue("rateLimiter.limit must be at least 1, but was 0");
    assertThat(GuardSpec.check("rateLimiter", Map.of("limit", "2", "permitsPerCall", "3")))
        .hasValue("rateLimiter.permitsPerCall must be at most 2, but was 3");
  }
}
