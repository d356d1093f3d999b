package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.BulkheadFullException;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Executors on a Brownout runtime: registration, meters, draining on close, and guards that use
 * them.
 */
@SuppressWarnings(
    "FutureReturnValueIgnored") // tasks held by gates: their futures are not what is tested
class ExecutorRuntimeTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();

  @AfterEach
  void close() {
    MDC.clear();
    brownout.close();
  }

  private static ExecutorConfig single() {
    return ExecutorConfig.builder().maxRunning(1).maxQueued(0).build();
  }

  @Test
  void theSameNameGivesTheSameExecutorAndADifferentConfigIsAnError() {
    ExecutorConfig config = single();
    BoundedExecutor executor = brownout.executor("io", config);
    assertThat(brownout.executor("io", config)).isSameAs(executor);
    assertThat(brownout.executors()).containsExactly(executor);
    assertThatThrownBy(
            () -> brownout.executor("io", ExecutorConfig.builder().maxRunning(2).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executor 'io' already exists with a different config");
  }

  @Test
  void closingTheRuntimeDrainsItsExecutors() throws Exception {
    BoundedExecutor executor =
        brownout.executor("drained", ExecutorConfig.builder().maxRunning(1).maxQueued(5).build());
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      executor.execute("count", ran::incrementAndGet);
    }
    brownout.close();
    assertThat(executor.isTerminated()).isTrue();
    assertThat(ran).hasValue(5);
  }

  @Test
  void theExecutorsMetersReportRejectionsQueueDepthAndThePool() throws Exception {
    BoundedExecutor executor =
        brownout.executor(
            "metered",
            ExecutorConfig.builder().maxRunning(1).maxQueued(1).partition("feed", 50).build());
    Gate gate = new Gate();
    executor.submit("held", () -> gate.pass("held"));
    gate.awaitStarted();
    executor.partition("feed").submit("waits", () -> "waits");
    assertThatThrownBy(() -> executor.submit("rejected", () -> "no"))
        .isInstanceOf(ExecutorSaturatedException.class);

    assertThat(
            registry
                .get("brownout.executor.rejected")
                .tags("executor", "metered", "partition", "shared")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("brownout.executor.queue.depth")
                .tags("executor", "metered", "partition", "feed")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("brownout.executor.running")
                .tags("executor", "metered", "partition", "shared")
                .gauge()
                .value())
        .isEqualTo(1);
    assertThat(
            registry
                .get("brownout.executor.stuck")
                .tags("executor", "metered")
                .functionCounter()
                .count())
        .isZero();
    assertThat(registry.get("executor.pool.max").tags("name", "metered").gauge().value())
        .isEqualTo(1);
    gate.open();
  }

  @Test
  void aGuardRunsItsCallsOnTheExecutorWithTheCallersMdc() throws Exception {
    Guard guard = brownout.guard("isolated").executor(brownout.executor("pool", single())).build();
    MDC.put("request", "r-7");
    String seen = guard.call(() -> Thread.currentThread().getName() + " " + MDC.get("request"));
    assertThat(seen).startsWith("brownout-pool-").endsWith(" r-7");
  }

  @Test
  void aGuardWithABulkheadAndAnExecutorGivesEveryPermitBack() throws Exception {
    Guard guard =
        brownout
            .guard("isolated-bulkhead")
            .executor(
                brownout.executor(
                    "bulkhead-pool", ExecutorConfig.builder().maxRunning(1).maxQueued(1).build()))
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(2).build())
            .build();
    for (int i = 0; i < 5; i++) {
      assertThat(guard.call(() -> "ok")).isEqualTo("ok");
    }
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(2);
    assertThat(guard.counts().success()).isEqualTo(5);
    assertThat(guard.counts().failure()).isEqualTo(1);
  }

  @Test
  void aCallerThatStopsWaitingLeavesThePermitWithTheTaskUntilItEnds() throws Exception {
    Guard guard =
        brownout
            .guard("held-by-task")
            .executor(
                brownout.executor(
                    "held-pool", ExecutorConfig.builder().maxRunning(2).maxQueued(2).build()))
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread caller =
        new Thread(
            () -> {
              try {
                guard.call(
                    () -> {
                      started.countDown();
                      while (true) {
                        try {
                          return finish.await(
                              1, TimeUnit.HOURS); // a task that ignores the cancel's interrupt
                        } catch (InterruptedException ignored) {
                          // keep working
                        }
                      }
                    });
              } catch (Exception expected) {
                // the interrupted caller stops waiting
              }
            });
    caller.start();
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(10_000);
    assertThat(caller.isAlive()).isFalse();

    // The task still runs, so it still holds the only permit.
    assertThat(guard.bulkhead().orElseThrow().availablePermits()).isZero();
    assertThatThrownBy(() -> guard.call(() -> "second")).isInstanceOf(BulkheadFullException.class);
    finish.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> guard.bulkhead().orElseThrow().availablePermits() == 1);
    assertThat(guard.call(() -> "third")).isEqualTo("third");
  }

  @Test
  void aSaturatedExecutorIsARejectionThatIsNeverRetried() throws Exception {
    BoundedExecutor executor = brownout.executor("busy", single());
    Gate gate = new Gate();
    executor.submit("hog", () -> gate.pass("hog"));
    gate.awaitStarted();
    AtomicInteger attempts = new AtomicInteger();
    Guard guard =
        brownout
            .guard("busy-guard")
            .executor(executor)
            .retry(RetryConfig.builder().maxAttempts(3).build())
            .build();

    assertThatThrownBy(() -> guard.call(attempts::incrementAndGet))
        .isInstanceOf(BulkheadFullException.class)
        .hasMessage("bulkhead 'busy' is full");
    assertThat(guard.call(attempts::incrementAndGet, Fallback.value(-1))).isEqualTo(-1);
    assertThat(attempts).hasValue(0);
    assertThat(guard.counts().rejected()).isEqualTo(1);
    assertThat(guard.counts().fallback()).isEqualTo(1);
    gate.open();
  }

  @Test
  void aTimeoutStopsTheWaitAndCancelsTheTask() throws Exception {
    BoundedExecutor executor = brownout.executor("slow", single());
    Guard guard =
        brownout.guard("slow-guard").executor(executor).timeout(Duration.ofMillis(50)).build();
    CountDownLatch interrupted = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      try {
                        return never.await(1, TimeUnit.HOURS);
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                      }
                    }))
        .isInstanceOf(CallTimeoutException.class);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }
}
