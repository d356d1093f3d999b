package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsAndListenersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void callsAreTimedByGuardAndOutcome() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard = brownout.guard("inventory").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      guard.call(() -> "ok");
      guard.call(() -> "ok");
      guard.call(() -> { throw new IOException("down"); }, Fallback.value("fb"));
      guard.circuitBreaker().orElseThrow().forceOpen();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.call(() -> "x")).isInstanceOf(CallNotPermittedException.class);

      assertThat(timer("inventory", "success").count()).isEqualTo(2);
      assertThat(timer("inventory", "fallback", "failure").count()).isEqualTo(1);
      assertThat(timer("inventory", "rejected", "breaker_open").count()).isEqualTo(1);
      assertThat(timer("inventory", "failure").count()).isZero();
      assertThat(timer("inventory", "timeout").count()).isZero();
      assertThat(registry.find("brownout.calls").tag("guard", "inventory").functionTimers())
          .extracting(t -> t.getId().getTag("outcome") + "/" + t.getId().getTag("cause"))
          .containsExactlyInAnyOrder(
              "success/none", "failure/failure", "timeout/timeout",
              "rejected/breaker_open", "rejected/bulkhead_full", "rejected/rejected",
              "fallback/failure", "fallback/timeout", "fallback/breaker_open", "fallback/bulkhead_full", "fallback/rejected",
              "degraded/degraded");
    }
  }

  @Test
  void breakerStateTransitionsAndBulkheadPermitsArePublished() {
    try (Brownout brownout = Brownout.builder().build()) {
      brownout.metrics().bindTo(registry); // bound after creation of the runtime, before the guard
      Guard guard = brownout.guard("payments")
          .circuitBreaker(CircuitBreakerConfig.ofDefaults())
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(7).build())
          .build();
      CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();

      assertThat(gauge("brownout.breaker.state", "breaker", "payments").value()).isEqualTo(0);
      breaker.forceOpen();
      assertThat(gauge("brownout.breaker.state", "breaker", "payments").value()).isEqualTo(CircuitBreaker.State.FORCED_OPEN.code());
      breaker.reset();
      Counter opened = registry.find("brownout.breaker.transitions")
          .tags("breaker", "payments", "from", "CLOSED", "to", "FORCED_OPEN").counter();
      Counter closed = registry.find("brownout.breaker.transitions")
          .tags("breaker", "payments", "from", "FORCED_OPEN", "to", "CLOSED").counter();
      assertThat(opened).isNotNull();
      assertThat(opened.count()).isEqualTo(1);
      assertThat(closed.count()).isEqualTo(1);
      assertThat(gauge("brownout.bulkhead.available", "bulkhead", "payments").value()).isEqualTo(7);
    }
  }

  @Test
  void eachTransitionReachesListenersOnceAndAThrowingListenerBreaksNothing() throws Exception {
    List<String> transitions = new ArrayList<>();
    List<String> rejections = new ArrayList<>();
    BrownoutListener throwing = new BrownoutListener() {
      @Override
      public void onStateTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onRejected(String guard, RejectedCallException rejection) {
        throw new IllegalStateException("listener bug");
      }
    };
    BrownoutListener recording = new BrownoutListener() {
      @Override
      public void onStateTransition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        transitions.add(breaker.name() + ":" + from + "->" + to);
      }

      @Override
      public void onRejected(String guard, RejectedCallException rejection) {
        rejections.add(guard + ":" + rejection.getClass().getSimpleName());
      }
    };
    try (Brownout brownout = Brownout.builder().listener(throwing).listener(recording).build()) {
      Guard guard = brownout.guard("search")
          .circuitBreaker(CircuitBreakerConfig.builder().slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 2, 2).build())
          .build();

      for (int i = 0; i < 2; i++) {
        assertThat(guard.call(() -> { throw new IOException("down"); }, Fallback.value("fb"))).isEqualTo("fb");
      }
      assertThat(guard.call(() -> "x", Fallback.value("fb"))).isEqualTo("fb");

      assertThat(transitions).containsExactly("search:CLOSED->OPEN");
      assertThat(rejections).containsExactly("search:CallNotPermittedException");
    }
  }

  @Test
  void keyedGuardsReportUnderTheirFamilyName() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      KeyedGuards<String> perTenant = brownout.keyedGuards("tenant-api", 100, java.time.Duration.ofMinutes(1),
          g -> g.circuitBreaker(CircuitBreakerConfig.ofDefaults()));
      perTenant.get("acme").call(() -> 1);
      perTenant.get("globex").call(() -> 2);

      assertThat(timer("tenant-api", "success").count()).isEqualTo(2);
      assertThat(registry.find("brownout.calls").tag("guard", "tenant-api[acme]").meters()).isEmpty();
    }
  }

  /** The one series of an outcome that has one cause. */
  private FunctionTimer timer(String guard, String outcome) {
    return timer(guard, outcome, outcome.equals("success") ? "none" : outcome);
  }

  private FunctionTimer timer(String guard, String outcome, String cause) {
    FunctionTimer timer =
        registry.find("brownout.calls").tags("guard", guard, "outcome", outcome, "cause", cause).functionTimer();
    assertThat(timer).as("brownout.calls{guard=%s,outcome=%s,cause=%s}", guard, outcome, cause).isNotNull();
    return timer;
  }

  private Gauge gauge(String name, String tag, String value) {
    Gauge gauge = registry.find(name).tag(tag, value).gauge();
    assertThat(gauge).as("%s{%s=%s}", name, tag, value).isNotNull();
    return gauge;
  }
}
