package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimiterTest {

  private final ManualTicker ticker = new ManualTicker();

  private Limiter limiter(LimiterConfig.Builder config) {
    return new Limiter("l", config.build(), ticker);
  }

  @Test
  void admitsUpToTheLimitAndRefusesBeyondIt() {
    Limiter limiter = limiter(LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.FIXED).limits(1, 2, 2));
    long first = limiter.tryAcquire();
    long second = limiter.tryAcquire();
    assertThat(limiter.tryAcquire()).isEqualTo(Limiter.REFUSED);
    assertThat(limiter.inFlight()).isEqualTo(2);
    limiter.onSuccess(first);
    assertThat(limiter.tryAcquire()).isNotEqualTo(Limiter.REFUSED);
    limiter.onIgnored(second);
    assertThat(limiter.partitions().get(0).refused()).isEqualTo(1);
  }

  @Test
  void aWindowWithADropCutsTheLimit() {
    Limiter limiter =
        limiter(LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.AIMD).limits(1, 20, 100).minSamples(1).maxInFlightFactor(50));
    long permit = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onDropped(permit);
    assertThat(limiter.limit()).isEqualTo(18);
    assertThat(limiter.lastWindow().drops()).isEqualTo(1);
  }

  @Test
  void aQuietWindowCannotGrowTheLimitPastTheFactorOfItsPeak() {
    Limiter limiter =
        limiter(LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.AIMD).limits(1, 20, 100).minSamples(1).maxInFlightFactor(2));
    long permit = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(permit);
    assertThat(limiter.lastWindow().peakInFlight()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(2);
  }

  @Test
  void aCallThatStartedBeforeTheWindowIsNotItsSample() {
    Limiter limiter = limiter(LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.AIMD).limits(1, 20, 100).minSamples(1));
    long old = limiter.tryAcquire();
    long fresh = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(fresh); // closes the first window
    ticker.advance(Duration.ofMillis(5));
    limiter.onSuccess(old);
    long next = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(next);
    assertThat(limiter.lastWindow().samples()).as("only the call that started in the window").isEqualTo(1);
    assertThat(limiter.lastWindow().minimumNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void unknownPartitionsAndBadSettingsAreNamed() {
    Limiter limiter = limiter(LimiterConfig.builder().partition("checkout", 0.5));
    assertThatThrownBy(() -> limiter.partition("chekout"))
        .hasMessage("limiter 'l' has no partition 'chekout'; it has [checkout]");
    assertThatThrownBy(() -> LimiterConfig.builder().partition("a", 0.7).partition("b", 0.4).build())
        .hasMessage("limiter.partitions must have shares adding up to at most 1, but was {a=0.7, b=0.4}");
    assertThatThrownBy(() -> LimiterConfig.builder().limits(10, 5, 100).build())
        .hasMessage("limiter.initialLimit must be at least 10, but was 5");
    assertThatThrownBy(() -> LimiterConfig.builder().backoffRatio(0.2).build())
        .hasMessage("limiter.backoffRatio must be in [0.5, 1), but was 0.2");
    assertThatThrownBy(() -> LimiterConfig.builder().partition("a", 0.5).partition("a", 0.2))
        .hasMessage("limiter.partition must be declared once, but was 'a'");
  }

  @Test
  void theRuntimeHoldsLimitersByNameAndBindsTheirMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().ticker(ticker).meterRegistry(registry).build()) {
      LimiterConfig config = LimiterConfig.builder().partition("checkout", 0.5).build();
      Limiter limiter = brownout.limiter("inbound", config);
      assertThat(brownout.limiter("inbound", config)).isSameAs(limiter);
      assertThat(brownout.limiter("inbound")).isSameAs(limiter);
      assertThatThrownBy(() -> brownout.limiter("inbound", LimiterConfig.ofDefaults()))
          .hasMessageStartingWith("limiter 'inbound' already exists with a different config (");
      long permit = limiter.partition("checkout").tryAcquire();
      assertThat(registry.get("brownout.limiter.limit").tag("limiter", "inbound").gauge().value()).isEqualTo(20);
      assertThat(registry.get("brownout.limiter.inflight").tags("limiter", "inbound", "partition", "checkout").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("brownout.limiter.refused").tags("limiter", "inbound", "partition", "none").functionCounter().count())
          .isZero();
      limiter.partition("checkout").onSuccess(permit);
      assertThat(brownout.limiters()).containsExactly(limiter);
    }
  }
}
