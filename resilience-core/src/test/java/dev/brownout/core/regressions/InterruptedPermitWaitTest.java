package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Issue 14, MicroProfile compat finding 3: a thread interrupted while it waited for a bulkhead
 * permit could still take one and run the call. A condition wait that is interrupted and signalled
 * before its thread runs returns normally with the interrupt flag set, and the bulkhead then took
 * the permit. So an isolated call whose caller had timed out (its task cancelled, its thread
 * interrupted) ran the dependency anyway when a permit came back at about the deadline: seen 14
 * times in 80 repetitions of the TCK's {@code BulkheadTimeoutTest} scenario on two busy cores. Here
 * the waiting thread is interrupted and the permit returned back to back, so the race is lost on
 * nearly every repetition.
 */
class InterruptedPermitWaitTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @RepeatedTest(20)
  void aThreadInterruptedWhileWaitingForAPermitDoesNotRunTheCall() throws Exception {
    Bulkhead shared =
        brownout.bulkhead(
            "shared",
            BulkheadConfig.builder()
                .maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(30))
                .build());
    AtomicReference<Thread> worker = new AtomicReference<>();
    BoundedExecutor executor =
        brownout.executor(
            "isolated",
            ExecutorConfig.builder()
                .maxRunning(1)
                .maxQueued(1)
                .threadFactory(
                    task -> {
                      Thread thread = new Thread(task, "isolated-worker");
                      thread.setDaemon(true);
                      worker.set(thread);
                      return thread;
                    })
                .build());
    Guard holder = brownout.guard("holder").bulkhead(shared).build();
    Guard waiting = brownout.guard("waiting").bulkhead(shared).executor(executor).build();
    AtomicInteger executions = new AtomicInteger();

    CompletableFuture<String> waited =
        holder.call(
            () -> {
              CompletableFuture<String> call =
                  CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return waiting.call(() -> "ran " + executions.incrementAndGet());
                        } catch (Exception e) {
                          return e.getClass().getSimpleName();
                        }
                      });
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(
                      () ->
                          worker.get() != null
                              && worker.get().getState() == Thread.State.TIMED_WAITING);
              worker.get().interrupt();
              return call; // the permit goes back as this returns: right after the interrupt
            });

    assertThat(waited.get()).isEqualTo("InterruptedException");
    assertThat(executions).hasValue(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> shared.availablePermits() == 1);
  }
}
