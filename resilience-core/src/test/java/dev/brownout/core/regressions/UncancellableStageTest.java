package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Guard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, MicroProfile compat finding 2: an attempt's stage that refuses to be cancelled (a
 * {@code CompletableFuture.minimalCompletionStage()}, whose {@code cancel} throws {@code
 * UnsupportedOperationException}) broke the guard. At the timeout the exception escaped the timer
 * task after the attempt had been marked decided, so the caller's stage never completed; and {@code
 * cancel} on the caller's stage threw it to the caller. A stage that cannot be cancelled is now
 * left to run: the call still ends (timed out, or cancelled), and the permit comes back when the
 * stage completes.
 */
class UncancellableStageTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aTimedOutAttemptWhoseStageCannotBeCancelledStillTimesOut() throws Exception {
    Guard guard =
        brownout
            .guard("minimal")
            .timeout(Duration.ofMillis(20))
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    Bulkhead bulkhead = guard.bulkhead().orElseThrow();
    CompletableFuture<String> work = new CompletableFuture<>();

    CompletableFuture<String> result =
        guard.callAsync(work::minimalCompletionStage).toCompletableFuture();

    Throwable failure = result.handle((value, thrown) -> thrown).get(10, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(CallTimeoutException.class);
    assertThat(bulkhead.availablePermits()).as("the running stage keeps its permit").isZero();
    work.complete("late");
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void cancellingACallWhoseStageCannotBeCancelledEndsTheCall() {
    Guard guard = brownout.guard("minimal").build();
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> result =
        guard.callAsync(work::minimalCompletionStage).toCompletableFuture();

    assertThat(result.cancel(true)).isTrue();

    assertThat(result).isCancelled();
    assertThat(guard.counts().total()).isEqualTo(1);
  }
}
