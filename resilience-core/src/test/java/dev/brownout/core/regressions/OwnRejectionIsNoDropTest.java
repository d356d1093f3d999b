package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.BulkheadFullException;
import dev.brownout.core.ConcurrencyLimitedException;
import dev.brownout.core.Guard;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, review finding 1: a timed guard takes its bulkhead permit under the timer, after the
 * limiter's permit, so its own full bulkhead reached the limiter as a rejection from inside the
 * call and cut the limit, where the same refusal on the async path never reached the limiter.
 * Finding 5: a nested guard refused by the same limiter cut it too. Neither is the dependency's
 * answer: both are now ignored.
 */
class OwnRejectionIsNoDropTest {

  private static LimiterConfig aimd() {
    return LimiterConfig.builder()
        .algorithm(LimiterConfig.Algorithm.AIMD)
        .limits(1, 20, 100)
        .minWindow(Duration.ofMillis(1))
        .minSamples(1)
        .build();
  }

  @Test
  void aTimedGuardsOwnFullBulkheadDoesNotCutTheLimit() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Limiter limiter = brownout.limiter("db", aimd());
      Guard guard =
          brownout
              .guard("orders")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .timeout(Duration.ofHours(1))
              .limiter(limiter)
              .build();
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<String> holding =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return guard.call(
                      () -> {
                        inside.countDown();
                        release.await();
                        return "held";
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

      assertThatThrownBy(() -> guard.call(() -> "second"))
          .isInstanceOf(BulkheadFullException.class);
      release.countDown();
      assertThat(holding.get(10, TimeUnit.SECONDS)).isEqualTo("held");

      assertThat(limiter.lastWindow().drops())
          .as("drops in the window the held call closed")
          .isZero();
      assertThat(limiter.inFlight()).isZero();
    }
  }

  @Test
  void aNestedRefusalBySameLimiterDoesNotCutIt() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Limiter limiter =
          brownout.limiter(
              "db",
              LimiterConfig.builder()
                  .algorithm(LimiterConfig.Algorithm.AIMD)
                  .limits(1, 1, 100)
                  .minWindow(Duration.ofMillis(1))
                  .minSamples(1)
                  .build());
      Guard outer = brownout.guard("outer").limiter(limiter).build();
      Guard inner = brownout.guard("inner").limiter(limiter).build();

      assertThatThrownBy(() -> outer.call(() -> inner.call(() -> "never")))
          .isInstanceOf(ConcurrencyLimitedException.class);

      assertThat(limiter.lastWindow().drops()).isZero();
      assertThat(limiter.inFlight()).isZero();
    }
  }
}
