package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.CircuitBreakerConfig.WindowType;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import dev.brownout.core.RetryConfig;
import dev.brownout.core.compat.Dependency.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MicroProfile Fault Tolerance's scenarios of a retry around a circuit breaker (its TCK's {@code
 * CircuitBreakerRetryTest}), restated on the guard: a breaker of four calls at 75% inside a retry.
 * MP's {@code maxRetries = n} is {@code maxAttempts = n + 1}; the backoff is zero and the budget
 * unlimited, so only the policies under test decide.
 */
class CircuitBreakerRetryCompatTest {

  private final ManualTicker ticker = new ManualTicker();
  private final Brownout brownout = Brownout.builder().ticker(ticker).build();

  @AfterEach
  void close() {
    brownout.close();
  }

  private Guard guard(int maxRetries) {
    return brownout
        .guard("service")
        .circuitBreaker(
            CircuitBreakerConfig.builder()
                .slidingWindow(WindowType.COUNT_BASED, 4, 4)
                .failureRateThreshold(75)
                .waitDurationInOpenState(Duration.ofSeconds(1))
                .permittedNumberOfCallsInHalfOpenState(2)
                .build())
        .retry(
            RetryConfig.builder()
                .maxAttempts(maxRetries + 1)
                .backoff(Backoff.fixed(Duration.ZERO))
                .budget(1.0, 1_000_000)
                .build())
        .build();
  }

  /**
   * {@code testCircuitOpenWithMoreRetries}: with 20 retries the fifth attempt meets the open
   * breaker and the caller gets its rejection, after four executions. MP goes on retrying the
   * rejection until its retries are spent; Brownout never retries a rejection, so the call ends at
   * that fifth attempt.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void retriesUntilTheBreakerOpensThenReturnsItsRejection(Path path) {
    Guard guard = guard(20);
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.call(false)).isEqualTo("o");
    assertThat(service.executions()).isEqualTo(4);
    assertThat(guard.counts().rejected()).isEqualTo(1);
  }

  /**
   * {@code testCircuitOpenWithFewRetries}: two retries are three executions; the breaker stays
   * closed.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void tooFewRetriesToOpenTheBreakerReturnTheLastFailure(Path path) {
    Guard guard = guard(2);
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.call(false)).isEqualTo("f");
    assertThat(service.executions()).isEqualTo(3);
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  /**
   * {@code testCircuitOpenWithMultiTimeouts}: timeouts are failures of the breaker too: four open
   * it.
   */
  @Test
  void timedOutAttemptsOpenTheBreakerInsideTheRetry() {
    Guard guard =
        brownout
            .guard("timeouts")
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(WindowType.COUNT_BASED, 4, 4)
                    .failureRateThreshold(75)
                    .build())
            .retry(
                RetryConfig.builder()
                    .maxAttempts(21)
                    .backoff(Backoff.fixed(Duration.ZERO))
                    .budget(1.0, 1_000_000)
                    .build())
            .timeout(Duration.ofMillis(20))
            .build();
    AtomicInteger executions = new AtomicInteger();
    CountDownLatch never = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      executions.incrementAndGet();
                      never.await();
                      return "late";
                    }))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(executions).hasValue(4);
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  /**
   * {@code testRetriesSucceedWhenCircuitCloses}, where Brownout differs on purpose: MP retries the
   * open breaker's rejection every 100 ms until the breaker half-opens and a probe succeeds.
   * Brownout never retries a rejection, so the caller gets it at once, without an execution; once
   * the wait has passed, the next call is a probe and succeeds.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aRejectionIsNotRetriedUntilTheBreakerHalfOpens(Path path) {
    Guard guard = guard(20);
    Dependency service = new Dependency(guard, path, ticker);
    service.call(false);

    assertThat(service.call(true)).isEqualTo("o");
    assertThat(service.executions()).isEqualTo(4);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(service.call(true)).isEqualTo("s");
    assertThat(service.executions()).isEqualTo(5);
  }

  /**
   * {@code testNoRetriesIfNotRetryOn} and {@code testNoRetriesIfAbortOn}: a retry whose {@code
   * retryOn} leaves out the rejection, or whose {@code abortOn} names it, ends the call with the
   * rejection. In Brownout that holds whatever the lists say.
   */
  @Test
  void aRejectionIsNotRetriedWhateverTheListsSay() {
    Guard guard =
        brownout
            .guard("lists")
            .circuitBreaker(
                CircuitBreakerConfig.builder().slidingWindow(WindowType.COUNT_BASED, 4, 4).build())
            .retry(
                RetryConfig.builder()
                    .maxAttempts(5)
                    .backoff(Backoff.fixed(Duration.ZERO))
                    .budget(1.0, 1_000_000)
                    .retryOn(RuntimeException.class)
                    .build())
            .build();
    guard.circuitBreaker().orElseThrow().forceOpen();
    AtomicInteger attempts = new AtomicInteger();

    assertThatThrownBy(() -> guard.call(() -> attempts.incrementAndGet()))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture(attempts.incrementAndGet()))
                .toCompletableFuture()
                .handle((value, failure) -> Dependency.letter(failure))
                .join())
        .isEqualTo("o");
    assertThat(attempts).hasValue(0);
    assertThat(guard.counts().rejected()).isEqualTo(2);
  }
}
