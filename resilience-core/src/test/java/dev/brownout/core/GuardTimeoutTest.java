package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a guard times a call out: a synchronous timeout frees the caller and interrupts the work, an
 * asynchronous one completes the stage and cancels the work, and a caller waiting for an isolated
 * attempt is freed by the same timer. The MicroProfile cases are in {@code
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

  @Test
  void anIsolatedCallerWaitsUnderTheRuntimesTimer() throws Exception {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = isolated(real, "isolated-timer");
      CountDownLatch interrupted = new CountDownLatch(1);
      AtomicReference<Thread> firing = new AtomicReference<>();

      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        // The caller's wait is the one slot armed (once the caller has armed it).
                        firing.set(TimerSlots.fireWhenArmed(real.timer()));
                        try {
                          new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                          interrupted.countDown();
                        }
                        return "late";
                      }))
          .isInstanceOf(CallTimeoutException.class);
      firing.get().join();
      assertThat(Thread.currentThread().isInterrupted())
          .as("the timer's interrupt is gone")
          .isFalse();
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the work was cancelled").isTrue();
    }
  }

  @Test
  void anIsolatedCallerInterruptedByAnotherThreadKeepsItsInterrupt() throws Exception {
    try (Brownout real = Brownout.builder().build()) {
      Guard guard = isolated(real, "isolated-interrupt");
      CountDownLatch running = new CountDownLatch(1);
      Thread caller = Thread.currentThread();
      Thread interrupter =
          new Thread(
              () -> {
                TimerSlots.awaitQuietly(running);
                caller.interrupt();
              });
      interrupter.start();

      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        running.countDown();
                        new CountDownLatch(1).await();
                        return "never";
                      }))
          .isInstanceOf(InterruptedException.class);
      // Read (and clear) the flag before joining: a join with the flag set throws at once.
      assertThat(Thread.interrupted()).as("the caller still sees its interrupt").isTrue();
      interrupter.join();
      assertThat(guard.counts().timeout()).isZero();
    }
  }

  /** A guard with an hour's timeout on an executor of its own: only a hand-fired slot stops it. */
  private static Guard isolated(Brownout runtime, String name) {
    return runtime
        .guard(name)
        .timeout(Duration.ofHours(1))
        .executor(
            runtime.executor(
                name, dev.brownout.core.executor.ExecutorConfig.builder().maxRunning(1).build()))
        .build();
  }
}
