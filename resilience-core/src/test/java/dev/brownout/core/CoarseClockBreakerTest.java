package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Breakers on the runtime's coarse clock, with its ticks driven by hand: OPEN ends within one tick
 * after its wait and never before, a time window rolls its seconds by the coarse clock, and slow
 * calls are timed on it from a 10 ms threshold up, on the precise ticker below.
 */
class CoarseClockBreakerTest {

  private static final long TICK = RuntimeTimer.TICK_NANOS;

  private final ManualTicker ticker = new ManualTicker();
  private final CoarseClock clock = new CoarseClock(ticker, () -> {});

  private ClassicCircuitBreaker breaker(CircuitBreakerConfig config) {
    clock.read();
    clock.tick(); // the clock ticks, as it does once the runtime's timer has been asked to
    return new ClassicCircuitBreaker(
        "coarse", "coarse", config, ticker, clock, new Telemetry(List.of(), new BrownoutMetrics()));
  }

  /**
   * The source advances by {@code nanos} in ticks of the timer, the last one possibly partial and
   * unticked.
   */
  private void advanceTicking(long nanos) {
    for (long left = nanos; left > 0; left -= TICK) {
      ticker.advanceNanos(Math.min(TICK, left));
      if (left >= TICK) {
        clock.tick();
      }
    }
  }

  private static CircuitBreakerConfig.Builder countWindow() {
    return CircuitBreakerConfig.builder()
        .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .permittedNumberOfCallsInHalfOpenState(1);
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onError(0, new IOException("down"));
    }
  }

  @Test
  void openEndsWithinOneTickAfterItsWaitAndNeverBefore() {
    long wait = Duration.ofSeconds(10).toNanos();
    long step = TICK / 16;
    for (long offset = 0; offset < TICK; offset += TICK / 7) {
      ClassicCircuitBreaker breaker = breaker(countWindow().build());
      long lastTick = ticker.read();
      ticker.advanceNanos(offset); // opens `offset` after a tick: the clock lags by that much
      fail(breaker, 4);
      assertThat(breaker.state()).isEqualTo(State.OPEN);
      long openedAt = ticker.read();

      long permittedAt = -1;
      while (permittedAt < 0) {
        ticker.advanceNanos(step);
        if (ticker.read() - lastTick >= TICK) {
          clock.tick();
          lastTick = ticker.read();
        }
        if (breaker.tryAcquirePermission()) {
          permittedAt = ticker.read();
        } else {
          assertThat(breaker.isRejectingCalls()).isTrue();
        }
      }
      assertThat(permittedAt - openedAt)
          .as("opened %d ns after a tick", offset)
          .isGreaterThan(wait)
          .isLessThanOrEqualTo(wait + TICK + step);
      assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    }
  }

  @Test
  void openDoesNotEndWhileTheClockHasNotTickedPastItsWait() {
    ClassicCircuitBreaker breaker = breaker(countWindow().build());
    fail(breaker, 4);

    ticker.advance(Duration.ofSeconds(11)); // the source is past the wait, the clock has not ticked

    assertThat(breaker.tryAcquirePermission()).isFalse();
    assertThat(breaker.isRejectingCalls()).isTrue();
    clock.tick();
    assertThat(breaker.isRejectingCalls()).isFalse();
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void aTimeWindowRollsItsSecondsByTheCoarseClock() {
    ClassicCircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 2, 4)
                .failureRateThreshold(50)
                .build());
    fail(breaker, 3); // second 0: three failures, below the minimum of four calls

    ticker.advance(
        Duration.ofSeconds(3)); // the source has left seconds 0-1 behind; the clock has not
    fail(breaker, 1);
    assertThat(breaker.state())
        .as("still counted in the window of the unticked clock")
        .isEqualTo(State.OPEN);

    ClassicCircuitBreaker rolled =
        breaker(
            CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 2, 4)
                .failureRateThreshold(50)
                .build());
    fail(rolled, 3);
    ticker.advance(Duration.ofSeconds(3));
    clock.tick();
    fail(rolled, 1);
    assertThat(rolled.state())
        .as("the ticked clock rolled the three failures out")
        .isEqualTo(State.CLOSED);
  }

  @Test
  void slowCallsOfTenMillisecondsOrMoreAreTimedOnTheCoarseClock() {
    ClassicCircuitBreaker breaker = breaker(slowCalls(Duration.ofMillis(10)).build());

    assertThat(breaker.durationTicker(ticker)).isSameAs(clock);
    Ticker durations = breaker.durationTicker(ticker);
    long start = durations.read();
    ticker.advance(Duration.ofMillis(12)); // the clock has not ticked: the call looks instant
    assertThat(durations.read() - start).isZero();
    advanceTicking(TICK);
    assertThat(durations.read() - start)
        .isBetween(Duration.ofMillis(12).toNanos() - 3, Duration.ofMillis(13).toNanos());
  }

  @Test
  void slowCallsUnderTenMillisecondsAreTimedOnThePreciseTicker() {
    ClassicCircuitBreaker breaker = breaker(slowCalls(Duration.ofMillis(5)).build());

    Ticker durations = breaker.durationTicker(ticker);
    assertThat(durations).isSameAs(ticker);
    long start = durations.read();
    ticker.advance(Duration.ofMillis(6));
    assertThat(durations.read() - start).isEqualTo(Duration.ofMillis(6).toNanos());
  }

  @Test
  void aGuardTimesItsCallsOnTheClockTheBreakerChooses() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard coarse =
          brownout.guard("coarse").circuitBreaker(slowCalls(Duration.ofMillis(10)).build()).build();
      Guard precise =
          brownout.guard("precise").circuitBreaker(slowCalls(Duration.ofMillis(5)).build()).build();

      assertThat(coarse.call(() -> 1)).isEqualTo(1);
      assertThat(precise.call(() -> 2)).isEqualTo(2);
      assertThat(coarse.circuitBreaker().orElseThrow().state()).isEqualTo(State.CLOSED);
      assertThat(
              ((ClassicCircuitBreaker) coarse.circuitBreaker().orElseThrow())
                  .durationTicker(brownout.ticker()))
          .isSameAs(brownout.clock())
          .isInstanceOf(CoarseClock.class);
      assertThat(
              ((ClassicCircuitBreaker) precise.circuitBreaker().orElseThrow())
                  .durationTicker(brownout.ticker()))
          .isSameAs(Ticker.system());
    }
  }

  private static CircuitBreakerConfig.Builder slowCalls(Duration threshold) {
    return CircuitBreakerConfig.builder()
        .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2)
        .slowCallDurationThreshold(threshold)
        .slowCallRateThreshold(50);
  }
}
