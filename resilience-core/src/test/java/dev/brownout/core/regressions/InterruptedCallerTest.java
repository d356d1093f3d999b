package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A caller interrupted while it waits for an isolated attempt has gone: the dependency did not
 * fail. The wait used to clear the interrupt flag, tell the breaker of a failure and retry the call
 * for a caller that no longer wanted it. Now the call ends at once with the {@link
 * InterruptedException}, the flag set, nothing retried and nothing recorded against the breaker.
 */
class InterruptedCallerTest {

  private final Brownout brownout = Brownout.builder().build();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    brownout.close();
  }

  @Test
  void anInterruptedCallerIsNeitherRetriedNorABreakerFailure() throws Exception {
    Guard guard =
        brownout
            .guard("interrupted")
            .timeout(Duration.ofSeconds(30))
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 1)
                    .build())
            .retry(
                RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ZERO)).build())
            .build();
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfter = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                guard.call(
                    () -> {
                      attempts.incrementAndGet();
                      release.await();
                      return "late";
                    });
              } catch (Throwable e) {
                thrown.set(e);
                flagAfter.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() == 1);
    caller.interrupt();
    caller.join(10_000);

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(flagAfter).isTrue();
    assertThat(attempts).hasValue(1);
    assertThat(guard.circuitBreaker().orElseThrow().state()).hasToString("CLOSED");
    assertThat(guard.counts().total()).isEqualTo(1);
  }
}
