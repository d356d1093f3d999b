package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.BulkheadFullException;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.DeadlineExceededException;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retrying while the breaker is open, which MicroProfile Fault Tolerance and Resilience4j do
 * whenever the retry's exception list covers their open-circuit exception: Brownout never retries a
 * rejection unless {@code retryOnRejection} names its type, and then the attempts, the budget and
 * the deadline still bound it. So "retry until the breaker half-opens" can be written, and a full
 * bulkhead is still not retried unless named too.
 */
class RetryOnRejectionTest {

  private final Brownout brownout = Brownout.builder().build();
  private final AtomicInteger calls = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    brownout.close();
  }

  private Guard guard(String name, RetryConfig retry, Duration waitInOpen) {
    Guard guard =
        brownout
            .guard(name)
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2)
                    .waitDurationInOpenState(waitInOpen)
                    .permittedNumberOfCallsInHalfOpenState(1)
                    .build())
            .retry(retry)
            .build();
    CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();
    for (int i = 0; i < 2; i++) {
      breaker.tryAcquirePermission();
      breaker.onError(0, new IllegalStateException("down"));
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    return guard;
  }

  private static RetryConfig.Builder retry(int attempts, Duration wait) {
    return RetryConfig.builder()
        .maxAttempts(attempts)
        .backoff(Backoff.fixed(wait))
        .budget(1.0, 1_000);
  }

  @Test
  void aCallRetriesUntilTheBreakerHalfOpensAndItsProbeSucceeds() throws Exception {
    // The wait in OPEN is 50 ms; a hundred retries 20 ms apart outlast it on any machine.
    RetryConfig opted =
        retry(100, Duration.ofMillis(20)).retryOnRejection(CallNotPermittedException.class).build();
    Guard sync = guard("until-half-open", opted, Duration.ofMillis(50));
    Guard async = guard("until-half-open-async", opted, Duration.ofMillis(50));

    assertThat(sync.call(calls::incrementAndGet)).isEqualTo(1);
    assertThat(
            async
                .callAsync(() -> CompletableFuture.completedFuture(calls.incrementAndGet()))
                .toCompletableFuture()
                .join())
        .isEqualTo(2);
    assertThat(sync.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(sync.counts().success()).isEqualTo(1);
    assertThat(async.counts().success()).isEqualTo(1);
  }

  @Test
  void withoutTheOptInARejectionIsNeverRetried() {
    Guard guard = guard("not-opted", retry(100, Duration.ZERO).build(), Duration.ofMinutes(1));

    assertThatThrownBy(() -> guard.call(calls::incrementAndGet))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(calls).hasValue(0);
    assertThat(guard.counts().rejected()).isEqualTo(1);
  }

  @Test
  void maxAttemptsStillBoundsTheRetries() {
    RetryConfig opted =
        retry(3, Duration.ZERO).retryOnRejection(CallNotPermittedException.class).build();
    Guard guard = guard("bounded", opted, Duration.ofMinutes(1));

    assertThatThrownBy(() -> guard.call(calls::incrementAndGet))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(calls).hasValue(0);
    assertThat(guard.counts().rejected()).isEqualTo(1);
  }

  @Test
  void theDeadlineStillBoundsTheRetries() {
    RetryConfig opted =
        retry(100, Duration.ofHours(1)).retryOnRejection(CallNotPermittedException.class).build();
    Guard guard =
        brownout
            .guard("deadline")
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .retry(opted)
            .deadline(Duration.ofSeconds(1))
            .build();
    guard.circuitBreaker().orElseThrow().forceOpen();

    assertThatThrownBy(() -> guard.call(calls::incrementAndGet))
        .isInstanceOf(DeadlineExceededException.class)
        .hasCauseInstanceOf(CallNotPermittedException.class);
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  @Test
  void aFullBulkheadIsRetriedOnlyIfTheOptInNamesIt() throws Exception {
    Guard inner =
        brownout
            .guard("inner")
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    CountDownLatch holding = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () -> {
              try {
                inner.run(
                    () -> {
                      holding.countDown();
                      release.await();
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    holding.await();
    Guard breakerOnly =
        brownout
            .guard("breaker-only")
            .retry(
                retry(3, Duration.ZERO).retryOnRejection(CallNotPermittedException.class).build())
            .build();
    Guard bulkheadToo =
        brownout
            .guard("bulkhead-too")
            .retry(
                retry(3, Duration.ZERO)
                    .retryOnRejection(CallNotPermittedException.class, BulkheadFullException.class)
                    .build())
            .build();

    assertThatThrownBy(() -> breakerOnly.call(() -> inner.call(calls::incrementAndGet)))
        .isInstanceOf(BulkheadFullException.class);
    assertThat(inner.counts().rejected()).isEqualTo(1);
    assertThatThrownBy(() -> bulkheadToo.call(() -> inner.call(calls::incrementAndGet)))
        .isInstanceOf(BulkheadFullException.class);
    assertThat(inner.counts().rejected()).isEqualTo(4);
    assertThat(bulkheadToo.counts().rejected()).isEqualTo(1);
    assertThat(calls).hasValue(0);
    release.countDown();
    assertThat(holder).succeedsWithin(Duration.ofSeconds(10));
  }
}
