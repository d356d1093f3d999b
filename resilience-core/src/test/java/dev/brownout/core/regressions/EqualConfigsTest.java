package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.AdaptiveBreakerConfig;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.GuardSpec;
import dev.brownout.core.RetryConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 7: {@code circuitBreaker("q", CircuitBreakerConfig.ofDefaults())} twice threw
 * "already exists with a different config", since the breaker's config had no value equality (two
 * equal bulkhead configs were accepted). Every config class now compares by value; where a
 * predicate makes two configs differ, the message names the setting and says predicates compare by
 * identity.
 */
class EqualConfigsTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void twoDefaultBreakerConfigsGiveTheSameBreaker() {
    CircuitBreaker first = brownout.circuitBreaker("q", CircuitBreakerConfig.ofDefaults());

    assertThat(brownout.circuitBreaker("q", CircuitBreakerConfig.ofDefaults())).isSameAs(first);
  }

  @Test
  void twoEqualBuiltBreakerConfigsGiveTheSameBreaker() {
    CircuitBreaker first = brownout.circuitBreaker("q", breaker().build());

    assertThat(brownout.circuitBreaker("q", breaker().build())).isSameAs(first);
  }

  @Test
  void twoAdaptiveBreakerConfigsWithEqualValuesGiveTheSameBreaker() {
    AdaptiveBreakerConfig.Builder config =
        AdaptiveBreakerConfig.builder()
            .k(1.5)
            .window(Duration.ofSeconds(30))
            .ignoreExceptions(IllegalStateException.class);
    CircuitBreaker first = brownout.adaptiveCircuitBreaker("a", config.build());

    assertThat(brownout.adaptiveCircuitBreaker("a", config.build())).isSameAs(first);
  }

  @Test
  void twoGuardsWithEqualBreakerConfigsShareOneBreaker() {
    Guard one = brownout.guard("one").circuitBreaker(breaker().build()).build();

    assertThat(one).isNotNull();
    assertThat(brownout.circuitBreaker("one", breaker().build()))
        .isSameAs(brownout.findCircuitBreaker("one").orElseThrow());
  }

  @Test
  void aGuardDescribedByTextGetsABreakerConfigEqualToTheSameConfigInCode() {
    GuardSpec.named("orders")
        .set("circuitBreaker", "failureRateThreshold", "25")
        .exceptions("circuitBreaker", "recordExceptions", IOException.class)
        .build(brownout);
    CircuitBreaker built = brownout.findCircuitBreaker("orders").orElseThrow();

    CircuitBreakerConfig same =
        CircuitBreakerConfig.builder()
            .failureRateThreshold(25)
            .recordExceptions(IOException.class)
            .build();

    assertThat(brownout.circuitBreaker("orders", same)).isSameAs(built);
  }

  @Test
  void everyConfigClassHasValueEquality() {
    assertThat(CircuitBreakerConfig.ofDefaults())
        .isEqualTo(CircuitBreakerConfig.ofDefaults())
        .hasSameHashCodeAs(CircuitBreakerConfig.ofDefaults());
    assertThat(breaker().build()).isEqualTo(breaker().build()).hasSameHashCodeAs(breaker().build());
    assertThat(AdaptiveBreakerConfig.ofDefaults()).isEqualTo(AdaptiveBreakerConfig.ofDefaults());
    assertThat(BulkheadConfig.ofDefaults()).isEqualTo(BulkheadConfig.ofDefaults());
    assertThat(RetryConfig.ofDefaults())
        .isEqualTo(RetryConfig.ofDefaults())
        .hasSameHashCodeAs(RetryConfig.ofDefaults());
    assertThat(retry().build()).isEqualTo(retry().build()).hasSameHashCodeAs(retry().build());

    assertThat(breaker().failureRateThreshold(60).build()).isNotEqualTo(breaker().build());
    assertThat(retry().maxAttempts(5).build()).isNotEqualTo(retry().build());
    assertThat(AdaptiveBreakerConfig.builder().k(3).build())
        .isNotEqualTo(AdaptiveBreakerConfig.ofDefaults());
  }

  @Test
  void exceptionListsCompareAsSets() {
    assertThat(
            CircuitBreakerConfig.builder()
                .recordExceptions(IOException.class, IllegalStateException.class)
                .build())
        .isEqualTo(
            CircuitBreakerConfig.builder()
                .recordExceptions(IllegalStateException.class, IOException.class)
                .build());
    assertThat(CircuitBreakerConfig.builder().recordExceptions(IOException.class).build())
        .isNotEqualTo(CircuitBreakerConfig.builder().ignoreExceptions(IOException.class).build());
  }

  @Test
  void toStringShowsTheSettings() {
    assertThat(breaker().build().toString())
        .startsWith("CircuitBreakerConfig[")
        .contains(
            "failureRateThreshold=25.0",
            "slidingWindowSize=20",
            "recordExceptions=[java.io.IOException]");
    assertThat(retry().build().toString())
        .contains("maxAttempts=4", "abortOn=[java.io.FileNotFoundException]");
  }

  @Test
  void aDifferentValueIsNamedWithBothValues() {
    brownout.circuitBreaker("q", breaker().build());

    assertThatThrownBy(
            () -> brownout.circuitBreaker("q", breaker().failureRateThreshold(60).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("circuit breaker 'q' already exists with a different config")
        .hasMessageContaining("configs differ in failureRateThreshold: 25.0 before, 60.0 now");
  }

  @Test
  void aBulkheadsDifferentValueIsNamed() {
    brownout.bulkhead("b", BulkheadConfig.builder().maxConcurrentCalls(5).build());

    assertThatThrownBy(
            () -> brownout.bulkhead("b", BulkheadConfig.builder().maxConcurrentCalls(6).build()))
        .hasMessageContaining("configs differ in maxConcurrentCalls: 5 before, 6 now");
  }

  @Test
  void twoPredicatesAreNamedAsComparedByIdentity() {
    brownout.circuitBreaker(
        "p", CircuitBreakerConfig.builder().recordException(e -> e instanceof IOException).build());

    assertThatThrownBy(
            () ->
                brownout.circuitBreaker(
                    "p",
                    CircuitBreakerConfig.builder()
                        .recordException(e -> e instanceof IOException)
                        .build()))
        .hasMessageContaining(
            "configs differ in recordException (a predicate; predicates compare by identity");
  }

  @Test
  void oneSharedPredicateKeepsConfigsEqual() {
    Predicate<Throwable> io = IOException.class::isInstance;
    CircuitBreaker first =
        brownout.circuitBreaker("p", CircuitBreakerConfig.builder().recordException(io).build());

    assertThat(
            brownout.circuitBreaker(
                "p", CircuitBreakerConfig.builder().recordException(io).build()))
        .isSameAs(first);
  }

  @Test
  void aClassicAndAnAdaptiveBreakerUnderOneNameAreNamedByType() {
    brownout.circuitBreaker("t", CircuitBreakerConfig.ofDefaults());

    assertThatThrownBy(
            () -> brownout.adaptiveCircuitBreaker("t", AdaptiveBreakerConfig.ofDefaults()))
        .hasMessageContaining("one is a CircuitBreakerConfig, the other an AdaptiveBreakerConfig");
  }

  private static CircuitBreakerConfig.Builder breaker() {
    return CircuitBreakerConfig.builder()
        .failureRateThreshold(25)
        .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 20, 10)
        .waitDurationInOpenState(Duration.ofSeconds(5))
        .recordExceptions(IOException.class);
  }

  private static RetryConfig.Builder retry() {
    return RetryConfig.builder()
        .maxAttempts(4)
        .waitDuration(Duration.ofMillis(20))
        .retryOn(IOException.class)
        .abortOn(java.io.FileNotFoundException.class);
  }
}
