package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.core.IntervalFunction;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void fixedWaitsTheSameEveryTime() {
    Backoff backoff = Backoff.fixed(Duration.ofMillis(200));

    assertThat(backoff.waitAfter(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.waitAfter(7)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void linearAddsTheIncrementUpToTheMaximum() {
    Backoff backoff =
        Backoff.linear(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(220));

    assertThat(backoff.waitAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.waitAfter(2)).isEqualTo(Duration.ofMillis(150));
    assertThat(backoff.waitAfter(3)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.waitAfter(4)).isEqualTo(Duration.ofMillis(220));
  }

  @Test
  void exponentialMultipliesUpToTheMaximum() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(500));

    assertThat(backoff.waitAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.waitAfter(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.waitAfter(4)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void anExponentialWithoutMaximumStopsAtTheLongestWaitInsteadOfOverflowing() {
    Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), 10);

    assertThat(backoff.waitAfter(1_000)).isEqualTo(Backoff.LONGEST);
    assertThat(backoff.waitAfter(Integer.MAX_VALUE)).isEqualTo(Backoff.LONGEST);
  }

  /**
   * Resilience4j rounds down to whole milliseconds at every step; with whole factors nothing
   * rounds.
   */
  @Property
  void exponentialWithAWholeMultiplierGivesResilience4jsWaits(
      @ForAll @LongRange(min = 1, max = 10_000) long initialMillis,
      @ForAll @IntRange(min = 1, max = 3) int multiplier,
      @ForAll @IntRange(min = 1, max = 12) int attempt) {
    long expected =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(initialMillis), multiplier)
            .apply(attempt);

    Duration wait =
        Backoff.exponential(Duration.ofMillis(initialMillis), multiplier).waitAfter(attempt);

    assertThat(wait).isEqualTo(Duration.ofMillis(expected));
  }

  @Property
  void exponentialIsInitialTimesMultiplierToTheFailedTriesBefore(
      @ForAll @LongRange(min = 1, max = 10_000) long initialMillis,
      @ForAll @DoubleRange(min = 1, max = 4) double multiplier,
      @ForAll @IntRange(min = 1, max = 12) int attempt) {
    double expected = initialMillis * 1e6 * Math.pow(multiplier, attempt - 1);

    long nanos = Backoff.exponential(Duration.ofMillis(initialMillis), multiplier).nanos(attempt);

    double longest = (double) Backoff.LONGEST.toNanos();
    assertThat((double) nanos)
        .isBetween(Math.min(expected, longest) - 1, Math.min(expected, longest));
  }

  @Property
  void aRandomWaitStaysWithinItsRandomizationAndMaximum(
      @ForAll @LongRange(min = 0, max = 10_000) long initialMillis,
      @ForAll @DoubleRange(min = 1, max = 4) double multiplier,
      @ForAll @DoubleRange(min = 0, max = 0.99) double randomization,
      @ForAll @IntRange(min = 1, max = 40) int attempt) {
    Duration max = Duration.ofMinutes(5).plusMillis(initialMillis);
    long base =
        Backoff.exponential(Duration.ofMillis(initialMillis), multiplier, max).nanos(attempt);

    long wait =
        Backoff.exponentialRandom(Duration.ofMillis(initialMillis), multiplier, randomization, max)
            .nanos(attempt);

    assertThat(wait)
        .isBetween(
            (long) (base * (1 - randomization)) - 1,
            Math.min(max.toNanos(), (long) (base * (1 + randomization)) + 1));
  }

  /** Allocation, not speed: a retry loop asks for a wait on every failed attempt. */
  @Test
  void aRandomWaitAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Backoff backoff =
        Backoff.exponentialRandom(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(10));
    long sum = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      sum += backoff.nanos(1 + (i & 7));
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(sum).isPositive();
    assertThat(allocated).as("bytes allocated by 100,000 waits").isLessThan(100_000);
  }

  @Test
  void backoffsCompareByValue() {
    assertThat(Backoff.exponentialRandom(Duration.ofMillis(50), 2, 0.5))
        .isEqualTo(Backoff.exponentialRandom(Duration.ofMillis(50), 2, 0.5))
        .hasSameHashCodeAs(Backoff.exponentialRandom(Duration.ofMillis(50), 2, 0.5))
        .isNotEqualTo(Backoff.exponentialRandom(Duration.ofMillis(50), 2, 0.4))
        .isNotEqualTo(Backoff.exponential(Duration.ofMillis(50), 2));
    long thousandMillis = 1000;
    assertThat(Backoff.fixed(Duration.ofSeconds(1)))
        .isEqualTo(Backoff.fixed(Duration.ofMillis(thousandMillis)));
    assertThat(Backoff.exponential(Duration.ofMillis(50), 2, Duration.ofSeconds(1)).toString())
        .isEqualTo("Backoff.exponential(PT0.05S, x2.0, max=PT1S)");
  }

  @Test
  void badArgumentsNameTheSettingAndValue() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-5)))
        .hasMessageContaining("backoff.wait")
        .hasMessageContaining("PT-0.005S");
    assertThatThrownBy(() -> Backoff.fixed(null))
        .hasMessageContaining("backoff.wait")
        .hasMessageContaining("null");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(5), 0.5))
        .hasMessage("backoff.multiplier must be a finite number of at least 1, but was 0.5");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(5), Double.NaN))
        .hasMessageContaining("backoff.multiplier")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> Backoff.exponentialRandom(Duration.ofMillis(5), 2, 1.0))
        .hasMessage("backoff.randomization must be in [0, 1), but was 1.0");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(5), 2, Duration.ofSeconds(1)))
        .hasMessage("backoff.max must be at least the initial wait PT5S, but was PT1S");
    assertThatThrownBy(() -> Backoff.linear(Duration.ofSeconds(1), Duration.ofDays(400)))
        .hasMessageContaining("backoff.increment")
        .hasMessageContaining("PT9600H");
  }

  @Test
  void aBreakerRefusesABackoffThatCouldWaitLessThanAMillisecond() {
    assertThatThrownBy(
            () ->
                CircuitBreakerConfig.builder()
                    .waitIntervalFunctionInOpenState(Backoff.fixed(Duration.ofNanos(500_000)))
                    .build())
        .hasMessage(
            "circuitBreaker.waitIntervalFunctionInOpenState must never wait less than 1 ms, but was Backoff.fixed(PT0.0005S)");
  }

  @Test
  void aRandomWaitWhoseGrowthOverflowedStaysNearItsCap() {
    Backoff backoff =
        Backoff.exponentialRandom(Duration.ofMillis(100), 2.0, 0.5, Duration.ofMinutes(1));

    for (int i = 0; i < 1_000; i++) {
      // 100 ms * 2^5000 is infinite as a double; the wait must still lie within the spread of the
      // cap.
      assertThat(backoff.nanos(5_000))
          .isBetween(Duration.ofSeconds(30).toNanos(), Duration.ofMinutes(1).toNanos());
    }
  }
}
