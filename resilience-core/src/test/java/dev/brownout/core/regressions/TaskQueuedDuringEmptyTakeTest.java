package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.DrainReport;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.executor.LaneQueueHold;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task queued while a dispatch pass held the executor's only permit for a task that had just been
 * cancelled was never started: the pass found nothing to claim and gave the permit back without
 * looking again, and the submitter, having seen that permit taken, had left its task to whoever
 * held it. Nothing ran the task until another task was submitted; a drain waited its whole deadline
 * for it and then cancelled it (seen once in {@code
 * BoundedExecutorProperties.boundsHoldAndEveryTaskEndsExactlyOnce} on a loaded machine).
 *
 * <p>The test holds the partition's queue so that the pass stops there, inside the window.
 */
class TaskQueuedDuringEmptyTakeTest {

  private final BoundedExecutor executor =
      BoundedExecutor.of(
          "regression",
          ExecutorConfig.builder().maxRunning(1).maxQueued(2).partition("p", 80).build());

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void aTaskQueuedWhileAPassFindsOnlyACancelledTaskStillRuns() throws Exception {
    BoundedExecutor partition = executor.partition("p");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch open = new CountDownLatch(1);
    AtomicReference<Thread> worker = new AtomicReference<>();
    Future<String> first =
        executor.submit(
            "first",
            () -> {
              worker.set(Thread.currentThread());
              started.countDown();
              open.await();
              return "first";
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Future<String> cancelled = partition.submit("cancelled", () -> "cancelled");
    assertThat(partition.queued()).isEqualTo(1);

    Future<String> last;
    Thread canceller = new Thread(() -> cancelled.cancel(false), "canceller");
    try (LaneQueueHold hold = LaneQueueHold.of(partition)) {
      // The cancel has won the task but not yet unlinked it: the partition still counts it.
      canceller.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> hold.blocks(canceller));
      // The first task ends; its worker's dispatch pass, seeing the count, stops at the queue.
      open.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> hold.blocks(worker.get()));
      // Submitted to the executor's own lane, which that pass has already looked at.
      last = executor.submit("last", () -> "last");
    }

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(last).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("last");
    canceller.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(cancelled).isCancelled();
    DrainReport report = executor.shutdown(Duration.ofSeconds(10));
    assertThat(report.clean()).as("%s", report).isTrue();
    assertThat(executor.running()).isZero();
    assertThat(executor.queued()).isZero();
  }
}
