package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.ManualTicker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@SuppressWarnings(
    "FutureReturnValueIgnored") // tasks held by gates: their futures are not what is tested
class DrainTest {

  @Test
  void aDrainLetsTasksFinishUntilTheDeadlineThenCancelsAndInterruptsTheRest() throws Exception {
    ManualTicker ticker = new ManualTicker();
    BoundedExecutor executor =
        BoundedExecutor.of(
            "drained", ExecutorConfig.builder().maxRunning(2).maxQueued(3).ticker(ticker).build());
    Gate fast = new Gate();
    Gate stuck = new Gate();
    Gate second = new Gate();
    CountDownLatch interrupted = new CountDownLatch(2);
    executor.submit("fast", () -> fast.pass("fast"));
    executor.submit("stuck", () -> interruptible(stuck, interrupted));
    fast.awaitStarted();
    stuck.awaitStarted();
    executor.submit("quick", () -> "quick");
    executor.submit("slow", () -> interruptible(second, interrupted));
    Future<String> neverStarted = executor.submit("never-started", () -> "never");
    assertThat(executor.queued()).isEqualTo(3);

    // While the drain waits: "fast" ends, "quick" runs and ends, "slow" starts and hangs; then time
    // is up.
    CompletableFuture<Void> meanwhile =
        CompletableFuture.runAsync(
            () -> {
              await().until(executor::isShutdown);
              fast.open();
              try {
                second.awaitStarted();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              ticker.advance(Duration.ofSeconds(6));
            });
    DrainReport report = executor.shutdown(Duration.ofSeconds(5));
    meanwhile.get(10, TimeUnit.SECONDS);

    assertThat(report.completed()).containsExactly("fast", "quick");
    assertThat(report.cancelledQueued()).containsExactly("never-started");
    assertThat(report.interruptedRunning()).containsExactlyInAnyOrder("stuck", "slow");
    assertThat(report.clean()).isFalse();
    assertThat(neverStarted.isCancelled()).isTrue();
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aDrainThatFinishesInTimeIsClean() throws Exception {
    BoundedExecutor executor =
        BoundedExecutor.of("clean", ExecutorConfig.builder().maxRunning(1).build());
    Gate gate = new Gate();
    executor.submit("only", () -> gate.pass("only"));
    gate.awaitStarted();
    CompletableFuture.runAsync(
        () -> {
          await().until(executor::isShutdown);
          gate.open();
        });
    DrainReport report = executor.shutdown(Duration.ofMinutes(1));
    assertThat(report)
        .isEqualTo(
            new DrainReport(java.util.List.of("only"), java.util.List.of(), java.util.List.of()));
    assertThat(report.clean()).isTrue();
    assertThat(executor.isTerminated()).isTrue();
  }

  private static String interruptible(Gate gate, CountDownLatch interrupted)
      throws InterruptedException {
    try {
      return gate.pass("never");
    } catch (InterruptedException e) {
      interrupted.countDown();
      throw e;
    }
  }
}
