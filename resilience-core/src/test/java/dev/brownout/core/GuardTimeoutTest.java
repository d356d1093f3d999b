package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a guard times a call out: a synchronous timeout frees the caller and interrupts the work, an
 * asynchronous one completes the stage and cancels the work. The MicroProfile cases are in {@code
 * compat.TimeoutCompatTest}; the deadline of the whole call in {@code
 * regressions.OverallDeadlineTest} and the guards page's examples ({@code GuardsPageTest} in demo).
 */
class GuardTimeoutTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aSyncTimeoutFreesTheCallerAndInterruptsTheWork() throws Exception {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("sync-timeout").timeout(Duration.ofMillis(50)).build();
      CountDownLatch interrupted = new CountDownLatch(1);

      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        try {
                          new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                          interrupted.countDown();
                        }
                        return "late";
                      }))
          .isInstanceOf(CallTimeoutException.class)
          .hasMessageContaining("sync-timeout");
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void anAsyncTimeoutCompletesTheStageAndCancelsTheWork() {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = real.guard("async-timeout").timeout(Duration.ofMillis(50)).build();
      CompletableFuture<String> never = new CompletableFuture<>();

      CompletableFuture<String> result = guard.callAsync(() -> never).toCompletableFuture();

      assertThatThrownBy(result::join)
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(never).isCancelled();
    }
  }
}
