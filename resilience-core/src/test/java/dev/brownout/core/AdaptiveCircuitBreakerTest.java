package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AdaptiveCircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();

  private AdaptiveCircuitBreaker breaker(Brownout brownout, double k, Duration window) {
    return (AdaptiveCircuitBreaker)
        brownout.adaptiveCircuitBreaker(
            "adaptive", AdaptiveBreakerConfig.builder().k(k).window(window).build());
  }

  /** Drives {@code calls} calls in the current second: the first {@code accepted} succeed. */
  private static void traffic(CircuitBreaker breaker, int calls, int accepted) {
    for (int i = 0; i < calls; i++) {
      if (breaker.tryAcquirePermission()) {
        if (i < accepted) {
          breaker.onSuccess(0);
        } else {
          breaker.onError(0, new IOException("overloaded"));
        }
      }
    }
  }

  @Property(tries = 200)
  void aDependencyThatAcceptsEverythingIsNeverThrottled(
      @ForAll @IntRange(min = 1, max = 2_000) int calls) {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      AdaptiveCircuitBreaker breaker = breaker(brownout, 2.0, Duration.ofSeconds(10));
      for (int second = 0; second < 5; second++) {
        for (int i = 0; i < calls; i++) {
          assertThat(breaker.tryAcquirePermission()).isTrue();
          breaker.onSuccess(0);
        }
        ticker.advance(Duration.ofSeconds(1));
      }
      assertThat(breaker.rejectProbability()).isZero();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void theRejectProbabilityFollowsTheSreFormula() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      AdaptiveCircuitBreaker breaker = breaker(brownout, 2.0, Duration.ofSeconds(60));
      traffic(
          breaker, 100, 10); // the first call of the second refreshed p = 0; all 100 are admitted

      ticker.advance(Duration.ofSeconds(1));
      breaker.tryAcquirePermission(); // refresh: requests 100, accepts 10

      assertThat(breaker.rejectProbability()).isCloseTo((100 - 2.0 * 10) / 101.0, within(1e-9));
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.THROTTLING);
    }
  }

  @Test
  void oldSecondsLeaveTheWindowAndThrottlingEnds() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      AdaptiveCircuitBreaker breaker = breaker(brownout, 2.0, Duration.ofSeconds(10));
      traffic(breaker, 50, 0);
      ticker.advance(Duration.ofSeconds(1));
      breaker.tryAcquirePermission();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.THROTTLING);

      ticker.advance(Duration.ofSeconds(11));
      breaker.tryAcquirePermission();
      breaker.onSuccess(0);
      ticker.advance(Duration.ofSeconds(1));
      breaker.tryAcquirePermission();

      assertThat(breaker.rejectProbability()).isZero();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }

  @Test
  void throttlingRejectsAboutTheComputedShare() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      AdaptiveCircuitBreaker breaker = breaker(brownout, 1.0, Duration.ofSeconds(60));
      traffic(breaker, 1_000, 500);
      ticker.advance(Duration.ofSeconds(1));
      breaker.tryAcquirePermission();
      double p = breaker.rejectProbability();
      assertThat(p).isCloseTo(500 / 1001.0, within(1e-9));

      int rejected = 0;
      int draws = 20_000;
      for (int i = 0; i < draws; i++) {
        if (!breaker.tryAcquirePermission()) {
          rejected++;
        }
      }
      // 20,000 draws: four standard deviations is about 0.014.
      assertThat(rejected / (double) draws).isCloseTo(p, within(0.03));
    }
  }

  @Test
  void forcedStatesOverrideThrottling() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      AdaptiveCircuitBreaker breaker = breaker(brownout, 2.0, Duration.ofSeconds(10));
      breaker.forceOpen();
      assertThat(breaker.tryAcquirePermission()).isFalse();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
      breaker.disable();
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.forceClosed();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_CLOSED);
      breaker.reset();
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }
}
