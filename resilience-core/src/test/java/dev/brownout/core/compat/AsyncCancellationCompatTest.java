package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MicroProfile Fault Tolerance's asynchronous cancellation scenarios (its TCK's {@code
 * AsyncCancellationTest}), restated on the stage that {@code callAsync} returns: cancelling it ends
 * the call at once (done, cancelled, its {@code get} throwing {@link CancellationException}, and so
 * it stays after the work ends), cancels the attempt's stage, and runs no further attempt.
 */
class AsyncCancellationCompatTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  /**
   * {@code testCancel} and {@code testCancelWithoutInterrupt}: the call ends cancelled and stays
   * so.
   */
  @ParameterizedTest(name = "mayInterruptIfRunning {0}")
  @ValueSource(booleans = {true, false})
  void aCancelledCallIsDoneAndCancelledAndStaysSo(boolean mayInterrupt) {
    Guard guard = brownout.guard("service").build();
    CompletableFuture<String> attempt = new CompletableFuture<>();
    CompletableFuture<String> result = guard.callAsync(() -> attempt).toCompletableFuture();

    assertThat(result.cancel(mayInterrupt)).isTrue();

    assertThat(result).isCancelled().isDone();
    assertThatThrownBy(() -> result.get(2, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    assertThat(attempt).as("the attempt in flight is cancelled").isCancelled();
    attempt.obtrudeValue("late");
    assertThat(result).isCancelled();
    assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
    assertThat(guard.counts().total()).isEqualTo(1);
  }

  /**
   * {@code testCancelledButRemainsInBulkhead}, where Brownout differs on purpose: MP keeps the
   * permit of a cancelled call whose method goes on running. The guard sees the work only through
   * the stage it was given, and cancelling the call cancels that stage, which ends it: the permit
   * comes back at once. (A stage that its producer does not let be cancelled keeps the permit until
   * it completes.)
   */
  @Test
  void aCancelledCallGivesItsPermitBackAsItsStageIsCancelled() {
    Guard guard =
        brownout
            .guard("service")
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    Bulkhead bulkhead = guard.bulkhead().orElseThrow();
    CompletableFuture<String> attempt = new CompletableFuture<>();
    CompletableFuture<String> result = guard.callAsync(() -> attempt).toCompletableFuture();
    assertThat(bulkhead.availablePermits()).isZero();

    result.cancel(false);

    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  /**
   * {@code testCancelledWhileQueued} has no counterpart: an asynchronous call never queues for a
   * permit. The nearest case: a call cancelled while it waits for its next attempt never runs it.
   * {@code testCancelledDoesNotRetry}: a call cancelled during its first attempt is not retried.
   */
  @Test
  void aCallCancelledDuringAnAttemptIsNotRetried() throws Exception {
    Guard guard =
        brownout
            .guard("service")
            .retry(
                RetryConfig.builder()
                    .maxAttempts(5)
                    .backoff(Backoff.fixed(Duration.ZERO))
                    .budget(1.0, 1_000_000)
                    .build())
            .build();
    AtomicInteger executions = new AtomicInteger();
    CompletableFuture<String> attempt = new CompletableFuture<>();
    CompletableFuture<String> result =
        guard
            .<String>callAsync(
                () -> {
                  executions.incrementAndGet();
                  return attempt;
                })
            .toCompletableFuture();

    result.cancel(true);
    attempt.obtrudeException(new IllegalStateException("would be retried"));

    assertThat(executions).hasValue(1);
    assertThat(guard.counts().failure()).isEqualTo(1);
  }

  /**
   * {@code testCancelledDoesNotRetry}, cancelled in the wait before the second attempt: it never
   * starts.
   */
  @Test
  void aCallCancelledBeforeItsNextAttemptNeverRunsIt() throws Exception {
    Guard guard =
        brownout
            .guard("service")
            .retry(
                RetryConfig.builder()
                    .maxAttempts(5)
                    .backoff(Backoff.fixed(Duration.ofHours(1)))
                    .budget(1.0, 1_000_000)
                    .build())
            .build();
    AtomicInteger executions = new AtomicInteger();
    CompletableFuture<String> result =
        guard
            .<String>callAsync(
                () -> {
                  executions.incrementAndGet();
                  return CompletableFuture.failedFuture(
                      new IllegalStateException("retried in an hour"));
                })
            .toCompletableFuture();
    assertThat(executions).hasValue(1);

    assertThat(result.cancel(true)).isTrue();

    assertThat(executions).hasValue(1);
    assertThat(guard.counts().total()).isEqualTo(1);
  }
}
