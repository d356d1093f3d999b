package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * The adaptive breaker against a model written from its definition: after every random step (calls
 * with their outcomes, time passing, manual actions), the reject probability is max(0, (requests -
 * K * accepts) / (requests + 1)) over the window as of the last second started, the state says
 * whether it throttles, and manual states permit exactly what they promise.
 */
class AdaptiveBreakerProperties {

  sealed interface Step permits Call, Pass, Manual {}

  /** A call: 0 accepted, 1 failed, 2 ignored (its exception neither counts for nor against). */
  record Call(int outcome) implements Step {}

  record Pass(int millis) implements Step {}

  /** 0 force open, 1 force closed, 2 disable, 3 reset. */
  record Manual(int action) implements Step {}

  @Property(tries = 1000)
  void theRejectProbabilityFollowsTheDefinitionAfterEveryStep(
      @ForAll("steps") List<Step> steps,
      @ForAll @IntRange(min = 1, max = 8) int windowSeconds,
      @ForAll("ks") double k) {
    ManualTicker ticker = new ManualTicker();
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      CircuitBreaker breaker =
          brownout.adaptiveCircuitBreaker(
              "adaptive",
              AdaptiveBreakerConfig.builder()
                  .k(k)
                  .window(Duration.ofSeconds(windowSeconds))
                  .ignoreExceptions(IllegalArgumentException.class)
                  .build());
      Map<Long, Long> requests = new HashMap<>();
      Map<Long, Long> accepts = new HashMap<>();
      long refreshed = Long.MIN_VALUE;
      double p = 0.0;
      CircuitBreaker.State manual = null;
      for (Step step : steps) {
        if (step instanceof Pass pass) {
          ticker.advance(Duration.ofMillis(pass.millis()));
        } else if (step instanceof Manual action) {
          switch (action.action()) {
            case 0 -> {
              breaker.forceOpen();
              manual = CircuitBreaker.State.FORCED_OPEN;
            }
            case 1 -> {
              breaker.forceClosed();
              manual = CircuitBreaker.State.FORCED_CLOSED;
            }
            case 2 -> {
              breaker.disable();
              manual = CircuitBreaker.State.DISABLED;
            }
            default -> {
              breaker.reset();
              manual = null;
              p = 0.0;
            }
          }
        } else if (step instanceof Call call) {
          long now = Math.floorDiv(ticker.read(), 1_000_000_000L);
          boolean records = manual == null || manual == CircuitBreaker.State.FORCED_CLOSED;
          if (records && now != refreshed) {
            long requested = sum(requests, now, windowSeconds);
            long accepted = sum(accepts, now, windowSeconds);
            p = Math.max(0.0, (requested - k * accepted) / (requested + 1.0));
            refreshed = now;
          }
          boolean permitted = breaker.tryAcquirePermission();
          if (records) {
            requests.merge(now, 1L, Long::sum);
          }
          if (manual != null) {
            assertThat(permitted)
                .as("manual %s", manual)
                .isEqualTo(manual != CircuitBreaker.State.FORCED_OPEN);
          } else if (p == 0.0) {
            assertThat(permitted).as("nothing is rejected while the probability is 0").isTrue();
          }
          if (permitted) {
            switch (call.outcome()) {
              case 0 -> {
                breaker.onSuccess(0);
                if (records) {
                  accepts.merge(refreshed, 1L, Long::sum);
                }
              }
              case 1 -> breaker.onError(0, new IOException("overloaded"));
              default -> {
                breaker.onError(0, new IllegalArgumentException("bad request"));
                if (records) {
                  requests.merge(refreshed, -1L, Long::sum);
                }
              }
            }
          }
        }
        assertThat(((AdaptiveCircuitBreaker) breaker).rejectProbability())
            .isCloseTo(p, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p).isBetween(0.0, 1.0).isLessThan(1.0);
        CircuitBreaker.State expected =
            manual != null
                ? manual
                : p > 0.0 ? CircuitBreaker.State.THROTTLING : CircuitBreaker.State.CLOSED;
        assertThat(breaker.state()).isEqualTo(expected);
      }
    }
  }

  /** The counts of the seconds in (now - window, now]. */
  private static long sum(Map<Long, Long> perSecond, long now, int window) {
    long sum = 0;
    for (Map.Entry<Long, Long> second : perSecond.entrySet()) {
      long age = now - second.getKey();
      if (age >= 0 && age < window) {
        sum += second.getValue();
      }
    }
    return sum;
  }

  @Provide
  Arbitrary<Double> ks() {
    return Arbitraries.of(1.0, 1.5, 2.0, 3.0);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> call =
        Arbitraries.frequency(Tuple.of(5, 0), Tuple.of(4, 1), Tuple.of(1, 2)).map(Call::new);
    Arbitrary<Step> pass =
        Arbitraries.oneOf(
                Arbitraries.integers().between(1, 400), Arbitraries.integers().between(900, 4_000))
            .map(Pass::new);
    Arbitrary<Step> manual = Arbitraries.integers().between(0, 3).map(Manual::new);
    return Arbitraries.frequencyOf(Tuple.of(12, call), Tuple.of(4, pass), Tuple.of(1, manual))
        .list()
        .ofMaxSize(200);
  }
}
