package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        bad(
            "circuitBreaker.failureRateThreshold",
            "0.0",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(0).build()),
        bad(
            "circuitBreaker.failureRateThreshold",
            "120.0",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(120).build()),
        bad(
            "circuitBreaker.failureRateThreshold",
            "NaN",
            () -> CircuitBreakerConfig.builder().failureRateThreshold(Float.NaN).build()),
        bad(
            "circuitBreaker.slowCallRateThreshold",
            "-5.0",
            () -> CircuitBreakerConfig.builder().slowCallRateThreshold(-5).build()),
        bad(
            "circuitBreaker.slowCallDurationThreshold",
            "PT0S",
            () -> CircuitBreakerConfig.builder().slowCallDurationThreshold(Duration.ZERO).build()),
        bad(
            "circuitBreaker.slowCallDurationThreshold",
            "PT-1S",
            () ->
                CircuitBreakerConfig.builder()
                    .slowCallDurationThreshold(Duration.ofSeconds(-1))
                    .build()),
        bad(
            "circuitBreaker.slidingWindowSize",
            "0",
            () -> CircuitBreakerConfig.builder().slidingWindowSize(0).build()),
        bad(
            "circuitBreaker.slidingWindowSize",
            "2000000",
            () -> CircuitBreakerConfig.builder().slidingWindowSize(2_000_000).build()),
        bad(
            "circuitBreaker.minimumNumberOfCalls",
            "-1",
            () -> CircuitBreakerConfig.builder().minimumNumberOfCalls(-1).build()),
        bad(
            "circuitBreaker.slidingWindowType",
            "null",
            () -> CircuitBreakerConfig.builder().slidingWindowType(null).build()),
        bad(
            "circuitBreaker.waitDurationInOpenState",
            "PT0S",
            () -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ZERO).build()),
        bad(
            "circuitBreaker.waitDurationInOpenState",
            "null",
            () -> CircuitBreakerConfig.builder().waitDurationInOpenState(null).build()),
        bad(
            "circuitBreaker.permittedNumberOfCallsInHalfOpenState",
            "0",
            () -> CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(0).build()),
        bad(
            "circuitBreaker.waitIntervalFunctionInOpenState",
            "null",
            () -> CircuitBreakerConfig.builder().waitIntervalFunctionInOpenState(null)),
        bad(
            "adaptiveCircuitBreaker.k",
            "0.5",
            () -> AdaptiveBreakerConfig.builder().k(0.5).build()),
        bad(
            "adaptiveCircuitBreaker.k",
            "Infinity",
            () -> AdaptiveBreakerConfig.builder().k(Double.POSITIVE_INFINITY).build()),
        bad(
            "adaptiveCircuitBreaker.window",
            "PT0S",
            () -> AdaptiveBreakerConfig.builder().window(Duration.ZERO).build()),
        bad(
            "adaptiveCircuitBreaker.window",
            "PT2H",
            () -> AdaptiveBreakerConfig.builder().window(Duration.ofHours(2)).build()),
        bad(
            "bulkhead.maxConcurrentCalls",
            "0",
            () -> BulkheadConfig.builder().maxConcurrentCalls(0).build()),
        bad(
            "bulkhead.maxConcurrentCalls",
            "1048576",
            () -> BulkheadConfig.builder().maxConcurrentCalls(1 << 20).build()),
        bad(
            "bulkhead.maxWaitDuration",
            "PT-0.001S",
            () -> BulkheadConfig.builder().maxWaitDuration(Duration.ofMillis(-1)).build()),
        bad("retry.maxAttempts", "0", () -> RetryConfig.builder().maxAttempts(0).build()),
        bad("retry.budgetRatio", "1.5", () -> RetryConfig.builder().budget(1.5, 1).build()),
        bad("retry.minRetriesPerSecond", "-1", () -> RetryConfig.builder().budget(0.1, -1).build()),
        bad(
            "retry.waitDuration",
            "PT-0.001S",
            () -> RetryConfig.builder().waitDuration(Duration.ofMillis(-1))),
        bad(
            "retry.waitDuration",
            "PT8784H",
            () -> RetryConfig.builder().waitDuration(Duration.ofDays(366))),
        bad("retry.backoff", "null", () -> RetryConfig.builder().backoff(null)),
        bad(
            "guard.timeout",
            "PT0S",
            () -> Brownout.builder().build().guard("g").timeout(Duration.ZERO)),
        bad("guard.name", "' '", () -> Brownout.builder().build().guard(" ")),
        bad(
            "keyedGuards.maximumKeys",
            "0",
            () -> Brownout.builder().build().keyedGuards("k", 0, Duration.ofMinutes(1), g -> g)),
        bad(
            "keyedGuards.expireAfterAccess",
            "PT0S",
            () -> Brownout.builder().build().keyedGuards("k", 10, Duration.ZERO, g -> g)));
  }

  private static Arguments bad(String setting, String value, Executable build) {
    return Arguments.of(setting, value, build);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("invalidSettings")
  void anInvalidSettingFailsWithItsNameAndValue(String setting, String value, Executable build) {
    assertThatThrownBy(build::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(setting)
        .hasMessageContaining(value);
  }

  @Test
  void aSecondGuardWithTheSameNameIsRefused() {
    try (Brownout brownout = Brownout.builder().build()) {
      brownout.guard("payments").build();

      assertThatThrownBy(() -> brownout.guard("payments"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("guard 'payments' is already defined");
    }
  }

  @Test
  void theSameBreakerNameWithADifferentConfigIsRefused() {
    try (Brownout brownout = Brownout.builder().build()) {
      CircuitBreakerConfig config = CircuitBreakerConfig.ofDefaults();
      CircuitBreaker first = brownout.circuitBreaker("payments", config);

      org.assertj.core.api.Assertions.assertThat(brownout.circuitBreaker("payments", config))
          .isSameAs(first);
      org.assertj.core.api.Assertions.assertThat(brownout.circuitBreaker("payments"))
          .isSameAs(first);
      assertThatThrownBy(
              () ->
                  brownout.circuitBreaker(
                      "payments", CircuitBreakerConfig.builder().failureRateThreshold(10).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "circuit breaker 'payments' already exists with a different config");
    }
  }

  @Test
  void theSameBulkheadNameAndValueEqualConfigGivesTheSameBulkhead() {
    try (Brownout brownout = Brownout.builder().build()) {
      Bulkhead first =
          brownout.bulkhead("db", BulkheadConfig.builder().maxConcurrentCalls(5).build());

      org.assertj.core.api.Assertions.assertThat(
              brownout.bulkhead("db", BulkheadConfig.builder().maxConcurrentCalls(5).build()))
          .isSameAs(first);
      assertThatThrownBy(
              () -> brownout.bulkhead("db", BulkheadConfig.builder().maxConcurrentCalls(6).build()))
          .hasMessageContaining("bulkhead 'db' already exists with a different config");
    }
  }
}
