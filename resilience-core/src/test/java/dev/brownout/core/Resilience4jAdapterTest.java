package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Resilience4jAdapterTest {

  @Test
  void anAdoptedBreakerKeepsItsOwnDecisionsInsideAGuard() throws Exception {
    io.github.resilience4j.circuitbreaker.CircuitBreaker legacy =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
            "legacy",
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindowSize(2)
                .minimumNumberOfCalls(2)
                .build());
    List<String> transitions = new ArrayList<>();
    try (Brownout brownout =
        Brownout.builder()
            .listener(
                new BrownoutListener() {
                  @Override
                  public void onStateTransition(
                      CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
                    transitions.add(breaker.name() + ":" + from + "->" + to);
                  }
                })
            .build()) {
      CircuitBreaker adopted = Resilience4jBreakers.adopt(brownout, legacy);
      Guard guard = brownout.guard("legacy-guard").circuitBreaker(adopted).build();

      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(
                () ->
                    guard.call(
                        () -> {
                          throw new IOException("down");
                        }))
            .isInstanceOf(IOException.class);
      }

      assertThat(legacy.getState())
          .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN);
      assertThat(adopted.state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(guard.call(() -> "x", Fallback.value("fallback"))).isEqualTo("fallback");
      assertThat(transitions).containsExactly("legacy:CLOSED->OPEN");
      assertThat(Resilience4jBreakers.adopt(brownout, legacy)).isSameAs(adopted);

      adopted.forceClosed();
      assertThat(legacy.getState())
          .isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.METRICS_ONLY);
      assertThat(adopted.state()).isEqualTo(CircuitBreaker.State.FORCED_CLOSED);
      adopted.reset();
      assertThat(adopted.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
  }
}
