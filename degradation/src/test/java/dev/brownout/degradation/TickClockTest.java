package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TickClockTest {

  private final AtomicLong nanos = new AtomicLong(-5_000);
  private final TickClock clock = new TickClock(nanos::get);

  @Test
  void timeMovesOnlyWithTheTicker() {
    Instant start = clock.now();

    nanos.addAndGet(Duration.ofMinutes(30).toNanos());

    assertThat(clock.now()).isEqualTo(start.plus(Duration.ofMinutes(30)));
    assertThat(clock.at(clock.read())).isEqualTo(clock.now());
  }

  @Test
  void anInstantAndItsTickConvertBothWays() {
    Instant expiry = clock.now().plus(Duration.ofDays(365));

    assertThat(clock.at(clock.tickOf(expiry))).isEqualTo(expiry);
  }

  @Test
  void anInstantBeyondTheTickersReachIsClampedNotOverflowed() {
    long far = clock.tickOf(Instant.parse("2500-01-01T00:00:00Z"));
    long past = clock.tickOf(Instant.parse("1500-01-01T00:00:00Z"));

    assertThat(far - clock.read()).isPositive();
    assertThat(past - clock.read()).isNegative();
  }
}
