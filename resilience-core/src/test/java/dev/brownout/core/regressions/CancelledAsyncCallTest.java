package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 2: cancelling the stage that {@code callAsync} returned did not stop the
 * retries (the dependency was called again for a caller that had gone). A cancel now stops further
 * attempts, cancels the attempt in flight, and gives back every permit.
 */
class CancelledAsyncCallTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Guard guard =
      brownout
          .guard("cancelled")
          .circuitBreaker(
              CircuitBreakerConfig.builder()
                  .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4)
                  .waitDurationInOpenState(Duration.ofMillis(1))
                  .permittedNumberOfCallsInHalfOpenState(1)
                  .build())
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
          .retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(50)).build())
          .build();
  private final Bulkhead bulkhead = guard.bulkhead().orElseThrow();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aCancelBetweenAttemptsRunsNoFurtherAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    CompletionStage<String> stage =
        guard.callAsync(
            () -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new IllegalStateException("down"));
            });
    stage.toCompletableFuture().cancel(true);
    // The retry was due 50 ms after the first attempt: the count stays at one well past that.
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> attempts.get() == 1);
    assertThat(attempts).hasValue(1);
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
    assertThat(guard.counts().total()).isEqualTo(1);
  }

  @Test
  void aCancelCancelsTheAttemptInFlightAndGivesBackItsPermits() {
    CompletableFuture<String> inFlight = new CompletableFuture<>();
    CompletionStage<String> stage = guard.callAsync(() -> inFlight);
    assertThat(bulkhead.availablePermits()).isZero();
    stage.toCompletableFuture().cancel(true);
    assertThat(inFlight).isCancelled();
    await().untilAsserted(() -> assertThat(bulkhead.availablePermits()).isEqualTo(1));
    assertThat(guard.counts().total()).isEqualTo(1);
    assertThat(guard.counts().failure()).isEqualTo(1);
  }

  @Test
  void aCancelledProbeGivesBackTheHalfOpenPermission() throws Exception {
    var breaker = guard.circuitBreaker().orElseThrow();
    for (int i = 0; i < 4; i++) {
      breaker.tryAcquirePermission();
      breaker.onError(0, new IllegalStateException());
    }
    await().until(() -> breaker.tryAcquirePermission() && releaseAgain(breaker));
    CompletableFuture<String> probe = new CompletableFuture<>();
    guard.callAsync(() -> probe).toCompletableFuture().cancel(true);
    assertThat(guard.call(() -> "healthy")).isEqualTo("healthy");
  }

  private static boolean releaseAgain(dev.brownout.core.CircuitBreaker breaker) {
    breaker.releasePermission();
    return true;
  }
}
