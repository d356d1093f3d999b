package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RejectedCallException;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 5: a full timeout pool surfaced as a raw {@code RejectedExecutionException},
 * counted as a failure, fed to the breaker and retried. It is a rejection that names the guard:
 * counted {@code rejected}, never retried, never a breaker failure.
 */
class TimeoutPoolFullTest {

  private final Brownout brownout = Brownout.builder().maxTimeoutThreads(1).build();
  private final Guard guard =
      brownout.guard("pool-full")
          .timeout(Duration.ofSeconds(30))
          .circuitBreaker(
              CircuitBreakerConfig.builder().slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2).build())
          .retry(RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build())
          .build();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    brownout.close();
  }

  @Test
  void aFullTimeoutPoolIsARejectionNamingTheGuard() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<Object> holder =
        CompletableFuture.supplyAsync(
            () -> guard.get(() -> {
              running.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return "held";
            }));
    running.await();
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> guard.call(calls::incrementAndGet))
          .isInstanceOf(RejectedCallException.class)
          .hasMessageContaining("pool-full")
          .satisfies(e -> assertThat(((RejectedCallException) e).source()).isEqualTo("pool-full"));
    }
    assertThat(calls).hasValue(0);
    assertThat(guard.counts().rejected()).isEqualTo(3);
    assertThat(guard.counts().failure()).isZero();
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    release.countDown();
    assertThat(holder.get()).isEqualTo("held");
  }
}
