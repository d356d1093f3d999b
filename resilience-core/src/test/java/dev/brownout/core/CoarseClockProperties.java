package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The coarse clock's staleness bound, with the timer's ticks driven by hand: a reading is never
 * ahead of the source, is the source itself while the clock does not tick, and otherwise lags it by
 * at most what the source advanced since the last tick (plus the 3 ns the reading drops).
 */
class CoarseClockProperties {

  /**
   * An action: a tick of the timer (-1), a read (-2), or the source advancing by that many
   * nanoseconds.
   */
  @Provide
  Arbitrary<List<Long>> actions() {
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(-1L)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(-2L)),
            net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 3 * RuntimeTimer.TICK_NANOS)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.longs().between(0, 2 * CoarseClock.IDLE_AFTER_NANOS)))
        .list()
        .ofMaxSize(300);
  }

  @Property(tries = 1_000)
  void aReadingIsNeverAheadOfTheSourceNorBehindItByMoreThanTheTimeSinceTheLastTick(
      @ForAll("actions") List<Long> actions) {
    ManualTicker source = new ManualTicker();
    AtomicInteger wakes = new AtomicInteger();
    CoarseClock clock = new CoarseClock(source, wakes::incrementAndGet);
    long lastTick = Long.MIN_VALUE;
    boolean requestPending = false;
    int expectedWakes = 0;
    for (long action : actions) {
      if (action == -1L) {
        boolean ticking = clock.tick();
        lastTick = source.read();
        assertThat(ticking).isEqualTo(clock.ticking());
        if (requestPending) {
          assertThat(ticking).as("a read of an idle clock makes the next tick start it").isTrue();
        }
        requestPending = false;
      } else if (action == -2L) {
        boolean ticking = clock.ticking();
        long reading = clock.read();
        long now = source.read();
        assertThat(reading).isLessThanOrEqualTo(now);
        if (ticking) {
          assertThat(now - reading).isLessThanOrEqualTo(now - lastTick + 3);
        } else {
          assertThat(reading).isEqualTo(now);
          if (!requestPending) {
            expectedWakes++;
          }
          requestPending = true;
        }
      } else {
        source.advanceNanos(action);
      }
      assertThat(wakes).as("one wake per idle spell, never per read").hasValue(expectedWakes);
    }
    if (requestPending) {
      assertThat(clock.tick()).as("a read of an idle clock makes the next tick start it").isTrue();
    }
  }
}
