package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Fault Tolerance's timeout scenarios (its TCK's {@code TimeoutTest}, {@code
 * TimeoutUninterruptableTest}, {@code RetryTimeoutTest} and {@code BulkheadTimeoutTest}), restated
 * on the guard. A timeout is real time (the runtime's timer, not the ticker): the attempts that
 * must time out wait on a latch that only the test opens, so the outcome never depends on how fast
 * the machine is.
 */
class TimeoutCompatTest {

  private static final Duration TIMEOUT = Duration.ofMillis(50);

  private final Brownout brownout = Brownout.builder().build();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);

  /** Opened when {@link #uninterruptibly} first ignores an interrupt. */
  private final CountDownLatch ignoredInterrupt = new CountDownLatch(1);

  @AfterEach
  void close() throws InterruptedException {
    release.countDown();
    workers.shutdown();
    assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    brownout.close();
  }

  /** Waits for {@link #release}, ignoring interrupts, as the TCK's uninterruptable service does. */
  private String uninterruptibly() {
    boolean interrupted = false;
    while (true) {
      try {
        release.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        ignoredInterrupt.countDown();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return "late";
  }

  /** Three attempts, no wait between them, no budget in the way. */
  private static RetryConfig.Builder threeAttempts() {
    return RetryConfig.builder()
        .maxAttempts(3)
        .backoff(Backoff.fixed(Duration.ZERO))
        .budget(1.0, 1_000_000);
  }

  /**
   * A call that counts its executions and waits for {@link #release}: it times out unless let go.
   */
  private Callable<String> hanging(AtomicInteger executions) {
    return () -> {
      executions.incrementAndGet();
      release.await();
      return "late";
    };
  }

  /** An asynchronous call that counts its executions and never completes. */
  private static Supplier<CompletionStage<String>> hangingAsync(AtomicInteger executions) {
    return () -> {
      executions.incrementAndGet();
      return new CompletableFuture<>();
    };
  }

  /**
   * {@code TimeoutTest.testTimeout}: a call that outlives its timeout fails with a timeout and is
   * interrupted.
   */
  @Test
  void aCallLongerThanTheTimeoutTimesOutAndIsInterrupted() throws InterruptedException {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).build();
    CountDownLatch interrupted = new CountDownLatch(1);

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                      }
                      return "late";
                    }))
        .isInstanceOf(CallTimeoutException.class);

    assertThat(interrupted.await(10, TimeUnit.SECONDS))
        .as("the timed-out call was interrupted")
        .isTrue();
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  /**
   * {@code TimeoutTest.testTimeout}, asynchronously: the stage fails with a timeout and the
   * attempt's stage is cancelled.
   */
  @Test
  void anAsyncCallLongerThanTheTimeoutTimesOutAndItsStageIsCancelled() {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).build();
    CompletableFuture<String> dependency = new CompletableFuture<>();

    String seen =
        guard
            .callAsync(() -> dependency)
            .toCompletableFuture()
            .handle((value, failure) -> Dependency.letter(failure))
            .join();

    assertThat(seen).isEqualTo("t");
    assertThat(dependency).isCancelled();
  }

  /**
   * {@code TimeoutTest.testNoTimeout}: a call within its timeout returns its value, sync or async.
   */
  @Test
  void aCallWithinTheTimeoutReturnsItsValue() throws Exception {
    Guard guard = brownout.guard("service").timeout(Duration.ofSeconds(30)).build();

    assertThat(guard.call(() -> "value")).isEqualTo("value");
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.completedFuture("value"))
                .toCompletableFuture()
                .join())
        .isEqualTo("value");
    assertThat(guard.counts().success()).isEqualTo(2);
  }

  /**
   * {@code TimeoutUninterruptableTest.testTimeout}: a synchronous call runs on the caller's thread,
   * so a method that ignores the timer's interrupt keeps its caller past the timeout; when it
   * returns, the caller gets the timeout, with its interrupt flag clear, and the permit is back.
   */
  @Test
  void aCallThatIgnoresTheInterruptGetsTheTimeoutWhenItReturns() throws Exception {
    Guard guard =
        brownout
            .guard("service")
            .timeout(TIMEOUT)
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    Bulkhead bulkhead = guard.bulkhead().orElseThrow();
    workers.execute(
        () -> {
          try {
            ignoredInterrupt.await(); // the timer has fired: the call goes on, then returns
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          release.countDown();
        });

    assertThatThrownBy(() -> guard.call(this::uninterruptibly))
        .isInstanceOf(CallTimeoutException.class);

    assertThat(ignoredInterrupt.getCount()).as("the body was interrupted").isZero();
    assertThat(Thread.currentThread().isInterrupted()).as("the caller's interrupt flag").isFalse();
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  /**
   * {@code TimeoutUninterruptableTest.testTimeoutAsync}: the caller's stage fails with a timeout at
   * the deadline while the work behind the attempt's stage goes on; the work ends when let go.
   */
  @Test
  void anAsyncCallTimesOutWhileItsWorkGoesOn() throws Exception {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).build();
    CompletableFuture<String> work = new CompletableFuture<>();

    String seen =
        guard
            .callAsync(
                () -> {
                  workers.execute(() -> work.complete(uninterruptibly()));
                  return work.thenApply(value -> value);
                })
            .toCompletableFuture()
            .handle((value, failure) -> Dependency.letter(failure))
            .join();

    assertThat(seen).isEqualTo("t");
    assertThat(work).isNotDone();
    release.countDown();
    assertThat(work.get(10, TimeUnit.SECONDS)).isEqualTo("late");
  }

  /**
   * {@code TimeoutUninterruptableTest.testTimeoutAsyncRetry}: each of three attempts times out; all
   * three ran.
   */
  @Test
  void everyRetriedAttemptHasItsOwnTimeout() {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).retry(threeAttempts().build()).build();
    AtomicInteger executions = new AtomicInteger();

    String seen =
        guard
            .callAsync(hangingAsync(executions))
            .toCompletableFuture()
            .handle((value, failure) -> Dependency.letter(failure))
            .join();

    assertThat(seen).isEqualTo("t");
    assertThat(executions).hasValue(3);
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  /**
   * {@code RetryTimeoutTest.testRetryTimeout}: each synchronous attempt has its own timeout; all
   * three ran.
   */
  @Test
  void everyRetriedSynchronousAttemptHasItsOwnTimeout() {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).retry(threeAttempts().build()).build();
    AtomicInteger executions = new AtomicInteger();

    assertThatThrownBy(() -> guard.call(hanging(executions)))
        .isInstanceOf(CallTimeoutException.class);

    assertThat(executions).hasValue(3);
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  /**
   * {@code RetryTimeoutTest.testRetryWithAbortOn}: a retry that aborts on the timeout does not
   * retry it.
   */
  @Test
  void aRetryThatAbortsOnTheTimeoutStopsAtTheFirst() {
    Guard guard =
        brownout
            .guard("service")
            .timeout(TIMEOUT)
            .retry(threeAttempts().abortOn(CallTimeoutException.class).build())
            .build();
    AtomicInteger executions = new AtomicInteger();

    assertThatThrownBy(() -> guard.call(hanging(executions)))
        .isInstanceOf(CallTimeoutException.class);
    String async =
        guard
            .callAsync(hangingAsync(executions))
            .toCompletableFuture()
            .handle((value, failure) -> Dependency.letter(failure))
            .join();

    assertThat(async).isEqualTo("t");
    assertThat(executions).hasValue(2);
  }

  /**
   * {@code BulkheadTimeoutTest}: the timeout covers the wait for a bulkhead permit. A call that
   * waits behind a full bulkhead times out without running, and its wait gives nothing back that it
   * did not take: once the running call ends, the permit is free again.
   */
  @Test
  void theTimeoutCoversTheWaitForABulkheadPermit() throws Exception {
    Guard guard =
        brownout
            .guard("service")
            .timeout(Duration.ofSeconds(30))
            .bulkhead(
                BulkheadConfig.builder()
                    .maxConcurrentCalls(1)
                    .maxWaitDuration(Duration.ofSeconds(30))
                    .build())
            .build();
    Guard waiting =
        brownout.guard("waiting").timeout(TIMEOUT).bulkhead(guard.bulkhead().orElseThrow()).build();
    Bulkhead bulkhead = guard.bulkhead().orElseThrow();
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return guard.call(
                    () -> {
                      started.countDown();
                      release.await();
                      return "first";
                    });
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            workers);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    AtomicInteger executions = new AtomicInteger();

    assertThatThrownBy(() -> waiting.call(() -> "ran " + executions.incrementAndGet()))
        .isInstanceOf(CallTimeoutException.class);

    assertThat(executions).hasValue(0);
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> bulkhead.availablePermits() == 1);
    assertThat(waiting.call(() -> "ran " + executions.incrementAndGet())).isEqualTo("ran 1");
  }

  /**
   * {@code TimeoutUninterruptableTest.testTimeoutAsyncFallback}: the fallback answers at the
   * deadline, not when the work ends.
   */
  @Test
  void theFallbackAnswersAtTheDeadline() {
    Guard guard = brownout.guard("service").timeout(TIMEOUT).build();
    CompletableFuture<String> work = new CompletableFuture<>();

    String seen =
        guard
            .callAsync(
                () -> {
                  workers.execute(() -> work.complete(uninterruptibly()));
                  return work.thenApply(value -> value);
                },
                Fallback.on(CallTimeoutException.class, timeout -> "FALLBACK"))
            .toCompletableFuture()
            .join();

    assertThat(seen).isEqualTo("FALLBACK");
    assertThat(work).isNotDone();
    assertThat(guard.counts().fallback()).isEqualTo(1);
  }

  /**
   * {@code TimeoutUninterruptableTest.testTimeoutAsyncBulkhead}, where Brownout differs on purpose:
   * MP keeps the bulkhead taken while the timed-out method runs, so the next call queues and times
   * out unrun. An asynchronous guard sees the work only through the stage it was given: the timeout
   * cancels that stage, which ends it, so its permit comes back at the deadline and the next call
   * runs (and an async call never queues).
   */
  @Test
  void anAsyncTimedOutAttemptGivesItsPermitBackAsTheTimeoutEndsItsStage() {
    Guard guard =
        brownout
            .guard("service")
            .timeout(TIMEOUT)
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    AtomicInteger executions = new AtomicInteger();

    for (int i = 0; i < 2; i++) {
      String seen =
          guard
              .<String>callAsync(
                  () -> {
                    executions.incrementAndGet();
                    return new CompletableFuture<>();
                  })
              .toCompletableFuture()
              .handle((value, failure) -> Dependency.letter(failure))
              .join();
      assertThat(seen).isEqualTo("t");
    }

    assertThat(executions).hasValue(2);
    assertThat(guard.bulkhead().map(Bulkhead::availablePermits)).contains(1);
  }
}
