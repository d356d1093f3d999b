package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the runtime gives its guards besides the call: listeners see each breaker transition and
 * each rejection once, and one that throws breaks nothing; a component is created once per runtime.
 * (A closed runtime's refusals are in {@code regressions.ClosedRuntimeTest}.)
 */
class GuardLifecycleTest {

  @Test
  void eachTransitionReachesListenersOnceAndAThrowingListenerBreaksNothing() throws Exception {
    List<String> transitions = new ArrayList<>();
    List<String> rejections = new ArrayList<>();
    BrownoutListener throwing =
        new BrownoutListener() {
          @Override
          public void onStateTransition(
              CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRejected(String guard, RejectedCallException rejection) {
            throw new IllegalStateException("listener bug");
          }
        };
    BrownoutListener recording =
        new BrownoutListener() {
          @Override
          public void onStateTransition(
              CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
            transitions.add(breaker.name() + ":" + from + "->" + to);
          }

          @Override
          public void onRejected(String guard, RejectedCallException rejection) {
            rejections.add(guard + ":" + rejection.getClass().getSimpleName());
          }
        };
    try (Brownout brownout = Brownout.builder().listener(throwing).listener(recording).build()) {
      Guard guard =
          brownout
              .guard("search")
              .circuitBreaker(
                  CircuitBreakerConfig.builder()
                      .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2)
                      .build())
              .build();

      for (int i = 0; i < 2; i++) {
        assertThat(
                guard.call(
                    () -> {
                      throw new IOException("down");
                    },
                    Fallback.value("fb")))
            .isEqualTo("fb");
      }
      assertThat(guard.call(() -> "x", Fallback.value("fb"))).isEqualTo("fb");

      assertThat(transitions).containsExactly("search:CLOSED->OPEN");
      assertThat(rejections).containsExactly("search:CallNotPermittedException");
    }
  }

  @Test
  void aComponentIsCreatedOncePerRuntime() {
    try (Brownout brownout = Brownout.builder().build()) {
      AtomicInteger created = new AtomicInteger();
      Object first =
          brownout.component(
              StringBuilder.class,
              runtime -> {
                created.incrementAndGet();
                return new StringBuilder("features");
              });
      Object second =
          brownout.component(StringBuilder.class, runtime -> new StringBuilder("other"));

      assertThat(second).isSameAs(first);
      assertThat(created).hasValue(1);
      try (Brownout other = Brownout.builder().build()) {
        assertThat(
                other
                    .component(StringBuilder.class, runtime -> new StringBuilder("other"))
                    .toString())
            .isEqualTo("other");
      }
    }
  }
}
