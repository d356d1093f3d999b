package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Fault Tolerance's bulkhead scenarios (its TCK's {@code BulkheadSynchTest}, {@code
 * BulkheadAsynchTest}, {@code BulkheadFutureTest} and {@code BulkheadSynchRetryTest}), restated on
 * the guard. Calls that hold a permit wait on a latch the test opens; no sleep stands in for "the
 * calls have started".
 */
class BulkheadCompatTest {

  private static final int SIZE = 3;

  private final Brownout brownout = Brownout.builder().build();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() throws InterruptedException {
    release.countDown();
    callers.shutdown();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    brownout.close();
  }

  private Guard guard(RetryConfig retry) {
    Guard.Builder guard =
        brownout
            .guard("service")
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(SIZE).build());
    return retry == null ? guard.build() : guard.retry(retry).build();
  }

  /**
   * Starts {@code count} synchronous calls that hold their permits until {@link #release}; returns
   * once all run.
   */
  private List<Future<String>> holdSync(
      Guard guard, int count, AtomicInteger running, AtomicInteger mostAtOnce)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(count);
    List<Future<String>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(
          callers.submit(
              () ->
                  guard.call(
                      () -> {
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        started.countDown();
                        release.await();
                        running.decrementAndGet();
                        return "held";
                      })));
    }
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    return calls;
  }

  /**
   * {@code BulkheadSynchTest} (a semaphore bulkhead of 3): three callers run at once, the others
   * are refused with the bulkhead's rejection without running, and never more than three run
   * together.
   */
  @Test
  void synchronousCallsBeyondTheLimitAreRejectedWithoutRunning() throws Exception {
    Guard guard = guard(null);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Future<String>> held = holdSync(guard, SIZE, running, mostAtOnce);
    AtomicInteger executions = new AtomicInteger();

    for (int i = 0; i < 4; i++) {
      String seen;
      try {
        seen = guard.call(() -> "ran " + executions.incrementAndGet());
      } catch (Exception e) {
        seen = Dependency.letter(e);
      }
      assertThat(seen).isEqualTo("b");
    }
    release.countDown();
    for (Future<String> call : held) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isEqualTo("held");
    }

    assertThat(executions).hasValue(0);
    assertThat(mostAtOnce).hasValue(SIZE);
    assertThat(guard.counts().rejected()).isEqualTo(4);
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(SIZE);
    assertThat(guard.call(() -> "free again")).isEqualTo("free again");
  }

  /**
   * {@code BulkheadAsynchTest}, where Brownout differs on purpose: MP queues asynchronous calls
   * beyond the bulkhead ({@code waitingTaskQueue}) and rejects only when the queue is full too. An
   * asynchronous call through a guard never waits for a permit: the fourth call is rejected at
   * once, and runs nothing; the permits come back as the held stages complete.
   */
  @Test
  void asynchronousCallsBeyondTheLimitAreRejectedAtOnceRatherThanQueued() {
    Guard guard = guard(null);
    List<CompletableFuture<String>> dependency = new ArrayList<>();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < SIZE; i++) {
      CompletableFuture<String> stage = new CompletableFuture<>();
      dependency.add(stage);
      results.add(guard.callAsync(() -> stage).toCompletableFuture());
    }
    AtomicInteger executions = new AtomicInteger();

    CompletableFuture<String> fourth =
        guard
            .<String>callAsync(
                () -> {
                  executions.incrementAndGet();
                  return CompletableFuture.completedFuture("ran");
                })
            .toCompletableFuture();

    assertThat(fourth).isCompletedExceptionally();
    assertThat(fourth.handle((value, failure) -> Dependency.letter(failure)).join()).isEqualTo("b");
    assertThat(executions).hasValue(0);
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(0);
    dependency.forEach(stage -> stage.complete("done"));
    assertThat(results).allSatisfy(result -> assertThat(result).isCompletedWithValue("done"));
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(SIZE);
  }

  /**
   * {@code BulkheadFutureTest.testBulkheadMethodAsynchFutureDoneWithoutGet/AfterGet}: the returned
   * stage is not done while the call runs, and is done with the call's value (read without waiting)
   * once the call ends, its permit given back.
   */
  @Test
  void theReturnedStageIsDoneExactlyWhenTheCallEnds() {
    Guard guard = guard(null);
    CompletableFuture<String> dependency = new CompletableFuture<>();

    CompletionStage<String> result = guard.callAsync(() -> dependency);

    assertThat(result.toCompletableFuture()).isNotDone();
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(SIZE - 1);
    dependency.complete("value");
    assertThat(result.toCompletableFuture()).isCompletedWithValue("value");
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(SIZE);
  }

  /**
   * {@code BulkheadSynchRetryTest}, where Brownout differs on purpose: MP retries a {@code
   * BulkheadException}, so a retried call may get in once a permit frees. Brownout never retries a
   * rejection: the retry is not even asked about it, and the caller gets it at once.
   */
  @Test
  void aFullBulkheadIsNotRetried() throws Exception {
    List<Throwable> offeredToRetry = new CopyOnWriteArrayList<>();
    Guard guard =
        guard(
            RetryConfig.builder()
                .maxAttempts(10)
                .backoff(Backoff.fixed(Duration.ZERO))
                .budget(1.0, 1_000_000)
                .retryOn(failure -> offeredToRetry.add(failure))
                .build());
    holdSync(guard, SIZE, new AtomicInteger(), new AtomicInteger());

    String sync;
    try {
      sync = guard.call(() -> "ran");
    } catch (Exception e) {
      sync = Dependency.letter(e);
    }
    String async =
        guard
            .<String>callAsync(() -> CompletableFuture.completedFuture("ran"))
            .toCompletableFuture()
            .handle((value, failure) -> failure == null ? value : Dependency.letter(failure))
            .join();

    assertThat(sync).isEqualTo("b");
    assertThat(async).isEqualTo("b");
    assertThat(offeredToRetry).isEmpty();
    assertThat(guard.counts().rejected()).isEqualTo(2);
  }
}
