package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.DeadlineExceededException;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import dev.brownout.core.RetryConfig;
import dev.brownout.core.executor.ExecutorConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14, finding 8: there was no deadline for the whole call. A 200 ms timeout with the default
 * retry around a 1 s call kept the caller about 1,050 ms (three attempts of 200 ms and two waits),
 * since the timeout bounds one attempt. {@link Guard.Builder#deadline} now bounds the whole call:
 * at the deadline the attempt in flight is stopped, no further attempt starts, and a retry wait
 * that would end past it is not waited for.
 */
class OverallDeadlineTest {

  private final ManualTicker ticker = new ManualTicker();
  private final Brownout brownout = Brownout.builder().build();

  /**
   * Decides on the hand-driven clock; its deadlines are long enough that real time never reaches
   * them.
   */
  private final Brownout handDriven = Brownout.builder().ticker(ticker).build();

  /** Holds every "slow" attempt until it is interrupted, or until the test ends. */
  private final CountDownLatch never = new CountDownLatch(1);

  private final AtomicInteger attempts = new AtomicInteger();
  private final AtomicInteger interrupted = new AtomicInteger();

  @AfterEach
  void close() {
    never.countDown();
    brownout.close();
    handDriven.close();
  }

  /** The dependency of the report: an attempt that takes far longer than its timeout. */
  private String slowCall() {
    attempts.incrementAndGet();
    try {
      never.await();
    } catch (InterruptedException e) {
      interrupted.incrementAndGet();
      Thread.currentThread().interrupt();
    }
    return "late";
  }

  @Test
  void aTimeoutWithTheDefaultRetryNoLongerOutlivesTheDeadline() {
    Guard guard =
        brownout
            .guard("report")
            .timeout(Duration.ofMillis(200))
            .retry(RetryConfig.ofDefaults())
            .deadline(Duration.ofMillis(300))
            .build();

    // Without the deadline: three attempts of 200 ms each and a CallTimeoutException. With it, the
    // first attempt ends at its timeout; a second one (if the jittered wait leaves time for it) is
    // stopped at the deadline, and the third never starts.
    assertThatThrownBy(() -> guard.get(this::slowCall))
        .isInstanceOf(DeadlineExceededException.class)
        .isInstanceOf(CallTimeoutException.class)
        .hasMessageContaining("guard 'report' reached the deadline of the whole call (PT0.3S)");
    assertThat(attempts.get()).isBetween(1, 2);
    await().untilAsserted(() -> assertThat(interrupted).hasValue(attempts.get()));
    assertThat(guard.counts().timeout()).isEqualTo(1);
    assertThat(guard.counts().total()).isEqualTo(1);
  }

  @Test
  void theAttemptInFlightIsStoppedAtTheDeadline() {
    Guard guard = brownout.guard("in-flight").deadline(Duration.ofMillis(100)).build();

    assertThatThrownBy(() -> guard.get(this::slowCall))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("during attempt 1")
        .hasNoCause();
    await().untilAsserted(() -> assertThat(interrupted).hasValue(1));
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  @Test
  void anAsyncAttemptInFlightIsCancelledAndItsStageFailsAtTheDeadline() {
    Guard guard = brownout.guard("async").deadline(Duration.ofMillis(100)).build();
    CompletableFuture<String> attempt = new CompletableFuture<>();

    CompletableFuture<String> call = guard.callAsync(() -> attempt).toCompletableFuture();

    assertThat(call)
        .failsWithin(Duration.ofSeconds(10))
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(DeadlineExceededException.class);
    assertThat(attempt).isCancelled();
    assertThat(guard.counts().timeout()).isEqualTo(1);
  }

  @Test
  void anAttemptOnTheGuardsExecutorIsStoppedAtTheDeadline() {
    Guard guard =
        brownout
            .guard("isolated")
            .executor(brownout.executor("isolated", ExecutorConfig.builder().maxRunning(2).build()))
            .deadline(Duration.ofMillis(100))
            .build();

    assertThatThrownBy(() -> guard.get(this::slowCall))
        .isInstanceOf(DeadlineExceededException.class);
    await().untilAsserted(() -> assertThat(interrupted).hasValue(1));
  }

  @Test
  void noAttemptStartsOnceTheDeadlineHasPassed() {
    Guard guard =
        handDriven
            .guard("passed")
            .retry(retry(Duration.ZERO))
            .deadline(Duration.ofSeconds(10))
            .build();

    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      attempts.incrementAndGet();
                      ticker.advance(Duration.ofSeconds(10));
                      throw new IOException("slow and failed");
                    }))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("before attempt 2")
        .hasCauseInstanceOf(IOException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  @Timeout(60) // not a speed bound: without the rule, the call would sleep for the hour
  void aRetryWaitLongerThanTheTimeLeftEndsTheCallAtOnce() {
    Guard sync =
        handDriven
            .guard("long-wait")
            .retry(retry(Duration.ofHours(1)))
            .deadline(Duration.ofSeconds(10))
            .build();
    Guard async =
        handDriven
            .guard("long-wait-async")
            .retry(retry(Duration.ofHours(1)))
            .deadline(Duration.ofSeconds(10))
            .build();

    // Waiting the hour would only end in the deadline's failure: the call ends now instead.
    assertThatThrownBy(
            () ->
                sync.call(
                    () -> {
                      attempts.incrementAndGet();
                      throw new IOException("failed");
                    }))
        .isInstanceOf(DeadlineExceededException.class)
        .hasCauseInstanceOf(IOException.class);
    CompletableFuture<Object> call =
        async
            .callAsync(() -> CompletableFuture.failedFuture(new IOException("failed")))
            .toCompletableFuture();
    assertThat(call).isCompletedExceptionally();
    assertThat(call)
        .failsWithin(Duration.ZERO)
        .withThrowableThat()
        .havingCause()
        .isInstanceOf(DeadlineExceededException.class);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void attemptsThatFitBeforeTheDeadlineStillRun() throws Exception {
    Guard guard =
        handDriven
            .guard("fits")
            .retry(retry(Duration.ZERO))
            .deadline(Duration.ofSeconds(10))
            .build();

    assertThat(
            guard.call(
                () -> {
                  if (attempts.incrementAndGet() < 3) {
                    ticker.advance(Duration.ofSeconds(3));
                    throw new IOException("failed");
                  }
                  return "third";
                }))
        .isEqualTo("third");
  }

  @Test
  void theFallbackAnswersTheDeadlineAsATimeout() throws Exception {
    Guard guard =
        handDriven
            .guard("fallback")
            .retry(retry(Duration.ofHours(1)))
            .deadline(Duration.ofSeconds(10))
            .build();

    String value =
        guard.call(
            () -> {
              throw new IOException("failed");
            },
            Fallback.on(CallTimeoutException.class, e -> "late: " + e.getCause().getMessage()));

    assertThat(value).isEqualTo("late: failed");
    assertThat(guard.counts().fallback()).isEqualTo(1);
  }

  @Test
  void aGuardWithoutDeadlineOrMaxDurationReadsNoClockPerCall() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    try (Brownout counted = Brownout.builder().ticker(() -> reads.incrementAndGet()).build()) {
      Guard plain =
          counted
              .guard("plain")
              .circuitBreaker(CircuitBreakerConfig.ofDefaults())
              .bulkhead(BulkheadConfig.ofDefaults())
              .retry(RetryConfig.ofDefaults())
              .build();
      Guard bounded =
          counted
              .guard("bounded")
              .circuitBreaker(CircuitBreakerConfig.ofDefaults())
              .retry(RetryConfig.builder().maxDuration(Duration.ofSeconds(5)).build())
              .build();
      int before = reads.get();

      for (int i = 0; i < 100; i++) {
        plain.call(() -> "ok");
        plain.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().join();
      }
      assertThat(reads.get() - before).as("clock reads by 200 calls without a time bound").isZero();
      bounded.call(() -> "ok");
      assertThat(reads.get() - before)
          .as("a call with maxDuration reads the clock once, as it starts")
          .isEqualTo(1);
    }
  }

  private static RetryConfig retry(Duration wait) {
    return RetryConfig.builder()
        .maxAttempts(5)
        .backoff(Backoff.fixed(wait))
        .budget(1.0, 1_000)
        .build();
  }
}
