package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads submitting at once: the bounds hold and every task runs or is rejected to its
 * caller.
 */
class ConcurrentSubmittersTest {

  @Test
  void boundsHoldAndNoTaskIsLostUnderConcurrentSubmission() throws Exception {
    BoundedExecutor executor =
        BoundedExecutor.of(
            "stress",
            ExecutorConfig.builder().maxRunning(2).maxQueued(8).partition("half", 50).build());
    BoundedExecutor half = executor.partition("half");
    AtomicInteger running = new AtomicInteger();
    AtomicInteger inPartition = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger mostInPartition = new AtomicInteger();
    LongAdder ran = new LongAdder();
    LongAdder rejected = new LongAdder();
    int submitters = 4;
    int each = 5_000;
    CyclicBarrier start = new CyclicBarrier(submitters);
    List<CompletableFuture<List<Future<?>>>> threads = new ArrayList<>();
    for (int t = 0; t < submitters; t++) {
      boolean toPartition = t % 2 == 0;
      threads.add(
          CompletableFuture.supplyAsync(
              () -> {
                List<Future<?>> futures = new ArrayList<>();
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < each; i++) {
                  try {
                    futures.add(
                        (toPartition ? half : executor)
                            .submit(
                                "s",
                                () -> {
                                  most.accumulateAndGet(running.incrementAndGet(), Math::max);
                                  if (toPartition) {
                                    mostInPartition.accumulateAndGet(
                                        inPartition.incrementAndGet(), Math::max);
                                  }
                                  Thread.onSpinWait();
                                  ran.increment();
                                  if (toPartition) {
                                    inPartition.decrementAndGet();
                                  }
                                  return running.decrementAndGet();
                                }));
                  } catch (ExecutorSaturatedException e) {
                    rejected.increment();
                  }
                }
                return futures;
              }));
    }
    long accepted = 0;
    for (CompletableFuture<List<Future<?>>> thread : threads) {
      for (Future<?> future : thread.get(60, TimeUnit.SECONDS)) {
        future.get(60, TimeUnit.SECONDS);
        accepted++;
      }
    }
    assertThat(accepted + rejected.sum()).isEqualTo((long) submitters * each);
    assertThat(ran.sum()).isEqualTo(accepted);
    assertThat(executor.rejected()).isEqualTo(rejected.sum());
    assertThat(most.get()).isLessThanOrEqualTo(2);
    assertThat(mostInPartition.get()).isLessThanOrEqualTo(1);
    assertThat(executor.shutdown(Duration.ofSeconds(10)).clean()).isTrue();
  }

  @Test
  void theExitHookDrainsExecutorsThatAskedForIt() throws Exception {
    BoundedExecutor executor =
        BoundedExecutor.of(
            "exiting",
            ExecutorConfig.builder()
                .maxRunning(1)
                .drainOnExit(true)
                .drainTimeout(Duration.ofMinutes(1))
                .build());
    Gate gate = new Gate();
    Future<String> task = executor.submit("last-words", () -> gate.pass("said"));
    gate.awaitStarted();
    CompletableFuture<Void> opener =
        CompletableFuture.runAsync(
            () -> {
              await().until(executor::isShutdown);
              gate.open();
            });
    ExitDrain.drainAll();
    opener.get(10, TimeUnit.SECONDS);
    assertThat(executor.isTerminated()).isTrue();
    assertThat(task.get(10, TimeUnit.SECONDS)).isEqualTo("said");
  }
}
