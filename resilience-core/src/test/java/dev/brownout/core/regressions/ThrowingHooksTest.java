package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.BrownoutListener;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, findings 10, 11 and 12: a {@code recordResult} predicate that threw during a HALF_OPEN
 * probe left the breaker HALF_OPEN and rejecting forever, and {@code callAsync} never completed its
 * stage (10); a listener that threw an {@code Error} or a sneaky checked exception broke the call
 * it observed (11); and calls whose hook threw were counted nowhere (12).
 */
class ThrowingHooksTest {

  private final ManualTicker ticker = new ManualTicker();
  private final AtomicBoolean predicateThrows = new AtomicBoolean();

  private Guard guardWithThrowingPredicate(Brownout brownout) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.builder()
            .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2)
            .waitDurationInOpenState(Duration.ofSeconds(1))
            .permittedNumberOfCallsInHalfOpenState(1)
            .recordResult(
                result -> {
                  if (predicateThrows.get()) {
                    throw new IllegalStateException("predicate failed");
                  }
                  return false;
                })
            .build();
    return brownout.guard("hooks").circuitBreaker(config).build();
  }

  @Test
  void aThrowingResultPredicateInAProbeGivesBackTheProbe() throws Exception {
    Guard guard = guardWithThrowingPredicate(Brownout.builder().ticker(ticker).build());
    CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();
    openByFailures(guard);
    predicateThrows.set(true);
    assertThatThrownBy(() -> guard.call(() -> "probe")).hasMessage("predicate failed");
    CompletableFuture<String> async =
        guard.callAsync(() -> CompletableFuture.completedFuture("probe")).toCompletableFuture();
    assertThat(async).isCompletedExceptionally();
    assertThatThrownBy(async::join)
        .isInstanceOf(CompletionException.class)
        .hasRootCauseMessage("predicate failed");
    predicateThrows.set(false);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(guard.call(() -> "healthy")).isEqualTo("healthy");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(guard.counts().total())
        .as("two failures, two hook failures, one success")
        .isEqualTo(5);
    assertThat(guard.counts().failure()).isEqualTo(4);
  }

  @Test
  void aListenerThrowingAnErrorNeverBreaksTheCall() throws Exception {
    Guard guard = guardWithListenerThrowing(new AssertionError("listener failed"));
    openByFailures(guard);
    assertThat(guard.call(() -> "probe")).isEqualTo("probe");
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(guard.counts().total()).isEqualTo(3);
  }

  @Test
  void aListenerThrowingASneakyCheckedExceptionNeverBreaksTheCall() throws Exception {
    Guard guard = guardWithListenerThrowing(new java.io.IOException("listener failed"));
    openByFailures(guard);
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture("probe"))
                .toCompletableFuture()
                .join())
        .isEqualTo("probe");
    assertThat(guard.counts().total()).isEqualTo(3);
  }

  /**
   * A guard whose runtime's listener throws {@code failure} (sneakily, if checked) on every
   * transition.
   */
  private Guard guardWithListenerThrowing(Throwable failure) {
    BrownoutListener throwing =
        new BrownoutListener() {
          @Override
          public void onStateTransition(
              CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            ThrowingHooksTest.<RuntimeException>sneaky(failure);
          }
        };
    return guardWithThrowingPredicate(Brownout.builder().ticker(ticker).listener(throwing).build());
  }

  /** Two failures open the breaker; the wait in OPEN passes on the hand-driven ticker. */
  private void openByFailures(Guard guard) {
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        throw new IllegalStateException("down");
                      }))
          .hasMessage("down");
    }
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);
    ticker.advance(Duration.ofSeconds(2));
  }

  @SuppressWarnings("unchecked")
  private static <X extends Throwable> void sneaky(Throwable failure) throws X {
    throw (X) failure;
  }
}
