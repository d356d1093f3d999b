package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a guard times a call out: a synchronous timeout frees the caller and interrupts the work, an
 * asynchronous one completes the stage and cancels the work, and a deadline bounds the whole call
 * beside a timeout per attempt. The MicroProfile cases are in {@code compat.TimeoutCompatTest}, the
 * deadline's edge cases in {@code regressions.OverallDeadlineTest}.
 */
class GuardTimeoutTest {

  record Quote(String sku) {
    static final Quote UNKNOWN = new Quote("unknown");
  }

  interface Client {
    Quote quote(String sku) throws IOException;
  }

  private final Brownout brownout = Brownout.builder().build();
  private final String sku = "sku-1";

  @AfterEach
  void close() {
    brownout.close();
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

  // The Java examples of docs/incoming/core-deadline.md, word for word inside each test, so that they
  // compile and do what the page says.

  @Test
  void timeoutPerAttemptDeadlinePerCall() throws Exception {
    Client client = sku -> new Quote(sku);

    Guard quotes = brownout.guard("quotes")
        .timeout(Duration.ofMillis(200))          // each attempt
        .deadline(Duration.ofSeconds(1))          // the whole call, retries and waits included
        .retry(RetryConfig.builder()
            .maxAttempts(5)
            .maxDuration(Duration.ofMillis(800))  // no new attempt starts after 800 ms
            .build())
        .build();
    Quote quote = quotes.call(() -> client.quote(sku), Fallback.on(CallTimeoutException.class, e -> Quote.UNKNOWN));

    assertThat(quote).isEqualTo(new Quote(sku));
  }

  @Test
  void retryingWhileTheBreakerIsOpen() throws Exception {
    Guard inventory = brownout.guard("inventory")
        .circuitBreaker(CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(5)).build())
        .retry(RetryConfig.builder()
            .maxAttempts(20)
            .waitDuration(Duration.ofSeconds(1))
            .retryOnRejection(CallNotPermittedException.class)  // retry until the breaker half-opens
            .build())
        .deadline(Duration.ofSeconds(10))
        .build();

    // The retries while open are shown by compat.RetryOnRejectionTest; here, a healthy call passes.
    assertThat(inventory.call(() -> 7)).isEqualTo(7);
    assertThat(inventory.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }
}
