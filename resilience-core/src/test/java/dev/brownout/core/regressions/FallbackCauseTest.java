package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallCounts;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 6: 13 fallbacks caused by timeouts and an open breaker were counted {@code
 * fallback=13, timeout=0, rejected=0}, hiding what happened. Each call is still counted once, as a
 * fallback, and its {@code cause} tag says why it fell back.
 */
class FallbackCauseTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();
  private final CountDownLatch never = new CountDownLatch(1);

  @AfterEach
  void close() {
    never.countDown();
    brownout.close();
  }

  @Test
  void fallbacksAfterTimeoutsAndAnOpenBreakerSayWhy() throws Exception {
    Guard guard =
        brownout
            .guard("recommendations")
            .timeout(Duration.ofMillis(10))
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 5, 5)
                    .build())
            .build();
    for (int i = 0; i < 13; i++) {
      assertThat(
              guard.call(
                  () -> {
                    never.await();
                    return "late";
                  },
                  Fallback.value("cached")))
          .isEqualTo("cached");
    }
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);

    assertThat(guard.counts())
        .isEqualTo(new CallCounts(0, 0, 0, 0, 0, 0, 5, 8))
        .extracting(CallCounts::fallback)
        .isEqualTo(13L);
    assertThat(calls("fallback", "timeout")).isEqualTo(5);
    assertThat(calls("fallback", "breaker_open")).isEqualTo(8);
    double counted =
        registry.find("brownout.calls").tag("guard", "recommendations").functionTimers().stream()
            .mapToDouble(FunctionTimer::count)
            .sum();
    assertThat(counted).as("every call counted exactly once").isEqualTo(13);
  }

  private long calls(String outcome, String cause) {
    FunctionTimer timer =
        registry
            .find("brownout.calls")
            .tags("guard", "recommendations", "outcome", outcome, "cause", cause)
            .functionTimer();
    assertThat(timer).as("brownout.calls{outcome=%s,cause=%s}", outcome, cause).isNotNull();
    return (long) timer.count();
  }
}
