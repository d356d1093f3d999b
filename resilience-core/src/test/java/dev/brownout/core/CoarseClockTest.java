package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoarseClockTest {

  private static final long TICK = RuntimeTimer.TICK_NANOS;

  private final ManualTicker source = new ManualTicker();
  private final AtomicInteger wakes = new AtomicInteger();
  private final CoarseClock clock = new CoarseClock(source, wakes::incrementAndGet);

  private static long masked(long nanos) {
    return nanos & ~3L;
  }

  @Test
  void anIdleClockReadsItsSourceAndAsksForTicksOnce() {
    source.advanceNanos(5 * TICK + 7);

    assertThat(clock.read()).isEqualTo(5 * TICK + 7);
    source.advanceNanos(1);
    assertThat(clock.read()).isEqualTo(5 * TICK + 8);

    assertThat(wakes).hasValue(1);
    assertThat(clock.ticking()).isFalse();
  }

  @Test
  void aTickingClockReadsTheLastTickUntilTheNext() {
    clock.read();
    source.advanceNanos(TICK + 5);
    assertThat(clock.tick()).isTrue();

    source.advanceNanos(TICK - 1);
    assertThat(clock.read()).isEqualTo(masked(TICK + 5));
    assertThat(clock.tick()).isTrue();
    assertThat(clock.read()).isEqualTo(masked(2 * TICK + 4));
  }

  @Test
  void stopsTickingAfterAWholePeriodWithoutAReaderAndStartsAgainOnTheNextRead() {
    clock.read();
    clock.tick();
    long period = CoarseClock.IDLE_AFTER_NANOS;
    for (long t = 0; t < 3 * period; t += TICK) {
      source.advanceNanos(TICK);
      if (!clock.tick()) {
        break;
      }
    }
    assertThat(clock.ticking()).isFalse();
    assertThat(source.read()).isBetween(period, 2 * period + TICK);

    long before = wakes.get();
    source.advanceNanos(3);
    assertThat(clock.read()).as("an idle clock is precise").isEqualTo(source.read());
    assertThat(wakes.get()).isEqualTo(before + 1);
    assertThat(clock.tick()).isTrue();
    assertThat(clock.ticking()).isTrue();
  }

  @Test
  void keepsTickingWhileReadOncePerPeriod() {
    clock.read();
    clock.tick();
    for (long t = 0; t < 10 * CoarseClock.IDLE_AFTER_NANOS; t += TICK) {
      source.advanceNanos(TICK);
      assertThat(clock.tick()).isTrue();
      if (t % (CoarseClock.IDLE_AFTER_NANOS / 2) == 0) {
        clock.read();
      }
    }
    assertThat(wakes).hasValue(1);
  }

  @Test
  void aStoppedClockReadsItsSourceAndNeverAsksAgain() {
    clock.read();
    clock.tick();
    clock.stop();
    source.advanceNanos(TICK + 1);

    assertThat(clock.read()).isEqualTo(source.read());
    assertThat(clock.read()).isEqualTo(source.read());
    assertThat(wakes).hasValue(1);
  }

  @Test
  void theRuntimeTimerTicksTheClockWhileItIsReadAndParksWhenNobodyReads() {
    RuntimeTimer timer = new RuntimeTimer("coarse-clock-test");
    try {
      CoarseClock coarse = timer.clock;
      assertThat(coarse.ticking()).isFalse();

      long precise = System.nanoTime();
      assertThat(coarse.read()).isGreaterThanOrEqualTo(precise);
      await().atMost(Duration.ofSeconds(10)).until(coarse::ticking);
      long first = coarse.read();
      await().atMost(Duration.ofSeconds(10)).until(() -> coarse.read() != first);
      assertThat(coarse.read()).isLessThanOrEqualTo(System.nanoTime());

      await().atMost(Duration.ofSeconds(20)).until(() -> !coarse.ticking());
    } finally {
      timer.stop();
    }
  }

  @Test
  void aStoppedRuntimeTimerLeavesItsClockPrecise() {
    RuntimeTimer timer = new RuntimeTimer("coarse-clock-stop-test");
    CoarseClock coarse = timer.clock;
    coarse.read();
    await().atMost(Duration.ofSeconds(10)).until(coarse::ticking);

    timer.stop();

    await().atMost(Duration.ofSeconds(10)).until(() -> !coarse.ticking());
    long before = System.nanoTime();
    assertThat(coarse.read()).isGreaterThanOrEqualTo(before);
  }
}
