package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import dev.brownout.core.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MicroProfile Fault Tolerance's {@code @Retry(maxDuration)} (its TCK's {@code RetryTest} with a
 * maximum duration), restated on the guard with a hand-driven clock: no new attempt starts once
 * {@code maxDuration} has passed since the first attempt began, and the call then ends with what
 * the last attempt gave. Unlike a deadline it never stops an attempt in flight.
 */
class RetryMaxDurationTest {

  private final ManualTicker ticker = new ManualTicker();
  private final Brownout brownout = Brownout.builder().ticker(ticker).build();
  private final AtomicInteger attempts = new AtomicInteger();

  @AfterEach
  void close() {
    brownout.close();
  }

  private Guard guard(String name, Duration wait, Duration maxDuration) {
    return brownout
        .guard(name)
        .retry(
            RetryConfig.builder()
                .maxAttempts(10)
                .backoff(Backoff.fixed(wait))
                .budget(1.0, 1_000)
                .maxDuration(maxDuration)
                .retryOnResult("again"::equals)
                .build())
        .build();
  }

  /** An attempt that takes {@code took} on the hand-driven clock, then fails. */
  private String failingAfter(Duration took) throws IOException {
    attempts.incrementAndGet();
    ticker.advance(took);
    throw new IOException("attempt " + attempts.get());
  }

  @Test
  void noAttemptStartsOnceMaxDurationHasPassedAndTheLastFailureEndsTheCall() {
    Guard guard = guard("max-duration", Duration.ZERO, Duration.ofSeconds(1));

    // Attempts start at 0, 400 and 800 ms; the fourth would start at 1,200 ms.
    assertThatThrownBy(() -> guard.call(() -> failingAfter(Duration.ofMillis(400))))
        .isInstanceOf(IOException.class)
        .hasMessage("attempt 3");
    assertThat(attempts).hasValue(3);
    assertThat(guard.counts().failure()).isEqualTo(1);
  }

  @Test
  void theAsyncPathStopsAtTheSameAttempt() {
    Guard guard = guard("max-duration-async", Duration.ZERO, Duration.ofSeconds(1));

    CompletableFuture<String> call =
        guard
            .<String>callAsync(
                () -> {
                  try {
                    return CompletableFuture.completedFuture(failingAfter(Duration.ofMillis(400)));
                  } catch (IOException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                })
            .toCompletableFuture();

    assertThatThrownBy(call::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IOException.class)
        .cause()
        .hasMessage("attempt 3");
    assertThat(attempts).hasValue(3);
  }

  @Test
  @Timeout(60) // not a speed bound: without the rule, the call would sleep for the hour
  void aRetryWaitThatWouldEndPastMaxDurationIsNotWaitedFor() {
    Guard guard = guard("long-wait", Duration.ofHours(1), Duration.ofMinutes(90));

    assertThatThrownBy(() -> guard.call(() -> failingAfter(Duration.ofMinutes(31))))
        .isInstanceOf(IOException.class)
        .hasMessage("attempt 1");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void theAttemptInFlightIsNotStopped() throws Exception {
    Guard guard = guard("in-flight", Duration.ZERO, Duration.ofSeconds(1));

    assertThat(
            guard.call(
                () -> {
                  ticker.advance(Duration.ofSeconds(5));
                  return "slow but fine";
                }))
        .isEqualTo("slow but fine");
  }

  @Test
  void aRetriedValueIsReturnedOnceMaxDurationHasPassed() throws Exception {
    Guard guard = guard("value", Duration.ZERO, Duration.ofSeconds(1));

    assertThat(
            guard.call(
                () -> {
                  attempts.incrementAndGet();
                  ticker.advance(Duration.ofMillis(600));
                  return "again";
                }))
        .isEqualTo("again");
    assertThat(attempts).hasValue(2);
  }

  @Test
  void aMaxDurationNoRetryCouldStartWithinIsRefused() {
    assertThatThrownBy(
            () ->
                RetryConfig.builder()
                    .waitDuration(Duration.ofSeconds(1))
                    .maxDuration(Duration.ofSeconds(1))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "retry.maxDuration must be longer than the shortest wait between attempts, PT1S, or no retry could"
                + " ever start, but was PT1S");
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ZERO))
        .hasMessage("retry.maxDuration must be a positive duration, but was PT0S");
  }
}
