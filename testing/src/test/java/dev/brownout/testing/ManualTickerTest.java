package dev.brownout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualTickerTest {

  @Test
  void readsTheSameInstantAsTickerAndAsClock() {
    ManualTicker ticker = new ManualTicker(Instant.parse("2026-01-01T00:00:00Z"));

    ticker.advance(Duration.ofMillis(1500));
    ticker.advanceNanos(7);

    assertThat(ticker.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:01.500000007Z"));
    assertThat(ticker.read())
        .isEqualTo(
            Instant.parse("2026-01-01T00:00:01.5Z").getEpochSecond() * 1_000_000_000L
                + 500_000_007L);
    assertThat(ticker.millis()).isEqualTo(ticker.instant().toEpochMilli());
  }

  @Test
  void startsAtTheEpochByDefault() {
    assertThat(new ManualTicker().read()).isZero();
    assertThat(new ManualTicker().instant()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void neverGoesBack() {
    ManualTicker ticker = new ManualTicker();

    assertThatThrownBy(() -> ticker.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1000000000 ns");
    assertThat(ticker.read()).isZero();
  }

  @Test
  void movesABreakersWaitInOpenWithoutSleeping() throws Exception {
    ManualTicker ticker = new ManualTicker();
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      Guard guard =
          brownout
              .guard("prices")
              .circuitBreaker(
                  CircuitBreakerConfig.builder()
                      .slidingWindowSize(2)
                      .minimumNumberOfCalls(2)
                      .waitDurationInOpenState(Duration.ofSeconds(30))
                      .build())
              .build();
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(
                () ->
                    guard.call(
                        () -> {
                          throw new IllegalStateException("down");
                        }))
            .isInstanceOf(IllegalStateException.class);
      }
      assertThatThrownBy(() -> guard.call(() -> "served"))
          .isInstanceOf(CallNotPermittedException.class);

      ticker.advance(Duration.ofSeconds(31));

      assertThat(guard.call(() -> "served")).isEqualTo("served");
    }
  }
}
