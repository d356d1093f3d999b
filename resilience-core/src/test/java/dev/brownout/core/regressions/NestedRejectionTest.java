package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.RejectedCallException;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 1: a nested guard's rejection was a failure of the outer guard through {@code
 * call} (its breaker opened) and not through {@code callAsync}. Every path now treats any Brownout
 * rejection as a rejection: the breaker's permission goes back, it is not retried, it is counted
 * {@code rejected}, and a fallback sees it as a rejection.
 */
class NestedRejectionTest {

  private final Brownout brownout = Brownout.builder().build();
  private final CircuitBreakerConfig window4 =
      CircuitBreakerConfig.builder()
          .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4)
          .build();
  private final Guard inner =
      brownout.guard("inner").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
  private final Guard outer =
      brownout
          .guard("outer")
          .circuitBreaker(window4)
          .retry(RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build())
          .build();
  private final AtomicInteger innerCalls = new AtomicInteger();

  NestedRejectionTest() {
    inner.circuitBreaker().orElseThrow().forceOpen();
  }

  @Test
  void aNestedRejectionIsARejectionThroughCall() {
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> outer.call(() -> inner.call(innerCalls::incrementAndGet)))
          .isInstanceOf(CallNotPermittedException.class);
    }
    assertRejectedFourTimes();
  }

  @Test
  void aNestedRejectionIsARejectionThroughCallAsync() {
    for (int i = 0; i < 4; i++) {
      CompletableFuture<Integer> stage =
          outer
              .<Integer>callAsync(
                  () ->
                      inner.callAsync(
                          () -> CompletableFuture.completedFuture(innerCalls.incrementAndGet())))
              .toCompletableFuture();
      assertThatThrownBy(stage::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(CallNotPermittedException.class);
    }
    assertRejectedFourTimes();
  }

  @Test
  void aFallbackSeesANestedRejectionAsARejection() throws Exception {
    Fallback<String> onRejection =
        Fallback.on(RejectedCallException.class, e -> "rejected by " + e.source());
    assertThat(outer.call(() -> inner.call(() -> "value"), onRejection))
        .isEqualTo("rejected by inner");
    assertThat(
            outer
                .callAsync(
                    () -> inner.callAsync(() -> CompletableFuture.completedFuture("value")),
                    onRejection)
                .toCompletableFuture()
                .join())
        .isEqualTo("rejected by inner");
    assertThat(outer.counts().fallback()).isEqualTo(2);
    assertThat(outer.counts().failure()).isZero();
  }

  private void assertRejectedFourTimes() {
    assertThat(outer.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(outer.counts().rejected()).isEqualTo(4);
    assertThat(outer.counts().failure()).isZero();
    assertThat(inner.counts().rejected())
        .as("the outer guard never retried the rejection")
        .isEqualTo(4);
    assertThat(innerCalls).hasValue(0);
  }
}
