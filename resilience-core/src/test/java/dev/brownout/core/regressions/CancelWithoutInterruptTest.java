package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, MicroProfile compat finding 1: {@code cancel(false)} on the stage that {@code
 * callAsync} returned interrupted the thread that was starting the next attempt (the runtime's
 * scheduler thread, inside the user's supplier), as the TCK's {@code
 * AsyncCancellationTest.testCancelWithoutInterrupt} forbids: the scheduled retry was cancelled with
 * {@code mayInterruptIfRunning} always true.
 */
class CancelWithoutInterruptTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aCancelThatMayNotInterruptLeavesTheStartingAttemptUninterrupted() throws Exception {
    Guard guard =
        brownout
            .guard("service")
            .retry(
                RetryConfig.builder()
                    .maxAttempts(2)
                    .backoff(Backoff.fixed(Duration.ofMillis(1)))
                    .budget(1.0, 1_000_000)
                    .build())
            .build();
    CountDownLatch secondStarted = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    CompletableFuture<Boolean> secondInterrupted = new CompletableFuture<>();
    AtomicInteger executions = new AtomicInteger();
    CompletableFuture<String> result =
        guard
            .<String>callAsync(
                () -> {
                  if (executions.incrementAndGet() == 1) {
                    return CompletableFuture.failedFuture(new IllegalStateException("first"));
                  }
                  secondStarted.countDown();
                  try {
                    cancelled.await();
                    secondInterrupted.complete(Thread.currentThread().isInterrupted());
                  } catch (InterruptedException e) {
                    secondInterrupted.complete(true);
                  }
                  return CompletableFuture.completedFuture("second");
                })
            .toCompletableFuture();
    assertThat(secondStarted.await(10, TimeUnit.SECONDS)).isTrue();

    result.cancel(false);
    cancelled.countDown();

    assertThat(secondInterrupted.get(10, TimeUnit.SECONDS))
        .as("the supplier's thread was interrupted")
        .isFalse();
    assertThat(result).isCancelled();
    assertThat(guard.counts().total()).isEqualTo(1);
  }
}
