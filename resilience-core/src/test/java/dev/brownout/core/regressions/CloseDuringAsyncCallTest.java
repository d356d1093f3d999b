package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 3, for calls already running: the runtime's close dropped the async retries it
 * had scheduled and the timers of attempts in flight, so such a call never ended, was never
 * counted, and kept its bulkhead permit. Close now ends each of them at once, with the failure a
 * new call on the closed runtime gets, counted once, holding nothing.
 */
class CloseDuringAsyncCallTest {

  @Test
  void aCallWaitingToRetryEndsWhenTheRuntimeCloses() {
    Brownout brownout = Brownout.builder().build();
    Guard guard =
        brownout
            .guard("retrying")
            .retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMinutes(1)).build())
            .build();
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> call =
        guard
            .<String>callAsync(
                () -> {
                  attempts.incrementAndGet();
                  return CompletableFuture.failedFuture(new IllegalArgumentException("boom"));
                })
            .toCompletableFuture();
    assertThat(call).isNotDone();

    brownout.close();

    assertThat(call).isDone();
    assertThatThrownBy(call::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runtime is closed");
    assertThat(attempts).hasValue(1);
    assertThat(guard.counts().failure()).isEqualTo(1);
    assertThat(guard.counts().total()).isEqualTo(1);
  }

  @Test
  void anAttemptUnderADeadlineEndsWhenTheRuntimeClosesAndGivesItsPermitBack() {
    Brownout brownout = Brownout.builder().build();
    Guard guard =
        brownout
            .guard("bounded")
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .deadline(Duration.ofMinutes(1))
            .build();
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> call = guard.<String>callAsync(() -> never).toCompletableFuture();
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isZero();

    brownout.close();

    assertThat(call).isDone();
    assertThatThrownBy(call::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("runtime is closed");
    assertThat(never).as("the attempt's stage is cancelled").isCancelled();
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    assertThat(guard.counts().total()).isEqualTo(1);
  }
}
