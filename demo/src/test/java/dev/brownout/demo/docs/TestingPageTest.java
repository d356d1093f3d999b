package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Guard;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.testing.ManualSwitchSource;
import dev.brownout.testing.ManualTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples of docs/testing.md, run with the brownout-testing artifact. */
class TestingPageTest {

  @Test
  void aManualTickerMovesTheBreakersTime() throws Exception {
    // docs:begin
    ManualTicker ticker = new ManualTicker();
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      Guard prices = brownout.guard("prices")
          .circuitBreaker(CircuitBreakerConfig.builder()
              .slidingWindowSize(2).minimumNumberOfCalls(2)
              .waitDurationInOpenState(Duration.ofSeconds(30)).build())
          .build();
      for (int i = 0; i < 2; i++) {   // two failed calls open the breaker
        assertThatThrownBy(() -> prices.call(() -> { throw new IOException("down"); })).isInstanceOf(IOException.class);
      }
      assertThatThrownBy(() -> prices.call(() -> 250)).isInstanceOf(CallNotPermittedException.class);

      ticker.advance(Duration.ofSeconds(31));   // the wait in open has passed: a call goes through again
      assertThat(prices.call(() -> 250)).isEqualTo(250);
    }
    // docs:end
  }

  @Test
  void aManualTickerIsAClockThatNeverGoesBack() {
    ManualTicker ticker = new ManualTicker(Instant.parse("2026-01-01T00:00:00Z"));
    ticker.advance(Duration.ofMinutes(1));
    assertThat(ticker.instant()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
    assertThatThrownBy(() -> ticker.advance(Duration.ofSeconds(-1))).hasMessageContaining("advance by -1000000000 ns");
  }

  @Test
  void aManualSwitchSourceStandsForTheOperatorsStore() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConfigSource config = ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test settings");
    try (Brownout brownout = Brownout.builder().config(config).meterRegistry(registry).build()) {
      Features features = Features.of(brownout);
      features.define("feed.recommendations").register();
      features.define("feed.avatars").register();
      // docs:begin
      ManualSwitchSource ops = new ManualSwitchSource("ops");
      features.addSource(ops);

      ops.set("feed.recommendations", Switch.off("incident 42"));
      assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();
      ops.remove("feed.recommendations");   // back to its next setting
      assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();

      features.set("feed.avatars", Switch.rollout(25));   // what your code sets is offered to the store
      assertThat(ops.offered()).containsExactly(new ManualSwitchSource.Offer("feed.avatars", Switch.rollout(25)));

      ops.refuseWrites(true);               // the store is unreachable: Features.set stays local, counted
      ops.fail("store unreachable", null);  // a failed read: the last good state stays, counted
      // docs:end
      features.set("feed.avatars", Switch.off("local only"));
      assertThat(features.feature("feed.avatars").isEnabled()).isFalse();
      assertThat(registry.get("brownout.switch.source.errors").tag("source", "ops").functionCounter().count()).isEqualTo(2);
    }
  }
}
