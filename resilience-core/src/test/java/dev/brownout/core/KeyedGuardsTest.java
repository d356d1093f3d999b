package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Per-key guards: the same key gets the same guard with its own breaker, the number held stays
 * bounded, and an idle key expires (their meters are in {@code GuardMetricsTest} and {@code
 * GuardLatencyTest}).
 */
class KeyedGuardsTest {

  private final ManualTicker ticker = new ManualTicker();

  @Test
  void theSameKeyGetsTheSameGuardWithItsOwnBreaker() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      KeyedGuards<String> hosts =
          brownout.keyedGuards(
              "hosts",
              100,
              Duration.ofMinutes(5),
              g -> g.circuitBreaker(CircuitBreakerConfig.ofDefaults()));

      Guard a = hosts.get("a.example");
      a.circuitBreaker().orElseThrow().forceOpen();

      assertThat(hosts.get("a.example")).isSameAs(a);
      assertThat(a.name()).isEqualTo("hosts[a.example]");
      assertThat(hosts.get("b.example").circuitBreaker().orElseThrow().state())
          .isEqualTo(CircuitBreaker.State.CLOSED);
      assertThat(brownout.findCircuitBreaker("hosts[a.example]")).isEmpty();
    }
  }

  @Test
  void aMillionKeysHoldAtMostTheBoundOfGuards() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      KeyedGuards<Integer> perUser =
          brownout.keyedGuards(
              "users",
              1_000,
              Duration.ofHours(1),
              g -> g.circuitBreaker(CircuitBreakerConfig.ofDefaults()));

      for (int user = 0; user < 1_000_000; user++) {
        perUser.get(user);
      }

      assertThat(perUser.size()).isLessThanOrEqualTo(1_000);
    }
  }

  @Test
  void anIdleKeyExpiresAndComesBackFresh() {
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      KeyedGuards<String> hosts =
          brownout.keyedGuards(
              "hosts",
              100,
              Duration.ofMinutes(5),
              g -> g.circuitBreaker(CircuitBreakerConfig.ofDefaults()));
      Guard before = hosts.get("a");
      before.circuitBreaker().orElseThrow().forceOpen();

      ticker.advance(Duration.ofMinutes(6));

      assertThat(hosts.size()).isZero();
      Guard after = hosts.get("a");
      assertThat(after).isNotSameAs(before);
      assertThat(after.circuitBreaker().orElseThrow().state())
          .isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }
}
