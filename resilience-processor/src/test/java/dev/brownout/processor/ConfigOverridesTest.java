package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Guard;
import dev.brownout.core.GuardSpec;
import dev.brownout.core.internal.GuardNames;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every attribute an annotation sets can be overridden from the configuration ({@code
 * brownout.guard.<guard>.<policy>.<attribute>}), and an override is checked by the same rules as an
 * annotation value: a bad one fails the guard's construction with the key, the value, where it came
 * from, and the rule it breaks; a key that cannot be a setting of any guard fails when the runtime
 * is built, naming the nearest valid key.
 */
class ConfigOverridesTest {

  private static final String GUARD = "Orders.place";

  /** Each attribute with a value it accepts and one it refuses. */
  record Attribute(String policy, String name, String good, String bad) {
    String key() {
      return GuardNames.configKey(GUARD, policy, name);
    }
  }

  static Stream<Attribute> attributes() {
    return Stream.of(
        new Attribute("circuitBreaker", "failureRateThreshold", "30", "0"),
        new Attribute("circuitBreaker", "slowCallRateThreshold", "80", "101"),
        new Attribute("circuitBreaker", "slowCallDurationThreshold", "2s", "-1s"),
        new Attribute("circuitBreaker", "slidingWindowType", "TIME_BASED", "SIDEWAYS"),
        new Attribute("circuitBreaker", "slidingWindowSize", "20", "0"),
        new Attribute("circuitBreaker", "minimumNumberOfCalls", "5", "zero"),
        new Attribute("circuitBreaker", "waitDurationInOpenState", "PT10S", "soon"),
        new Attribute("circuitBreaker", "permittedNumberOfCallsInHalfOpenState", "2", "0"),
        new Attribute("bulkhead", "maxConcurrentCalls", "7", "0"),
        new Attribute("bulkhead", "maxWaitDuration", "50ms", "-5ms"),
        new Attribute("timeout", "duration", "300ms", "0s"),
        new Attribute("timeout", "deadline", "2s", "0s"),
        new Attribute("retry", "maxAttempts", "4", "0"),
        new Attribute("retry", "waitDuration", "20ms", "400d"),
        new Attribute("retry", "budgetRatio", "0.5", "1.5"),
        new Attribute("retry", "minRetriesPerSecond", "3", "-1"),
        new Attribute("retry", "maxDuration", "5s", "soon"),
        new Attribute(
            "retry",
            "retryOnRejection",
            "CallNotPermittedException, dev.brownout.core.BulkheadFullException",
            "java.io.IOException"));
  }

  /** The spec a generated class writes for a method carrying all four text-described policies. */
  private static GuardSpec annotated() {
    return GuardSpec.named(GUARD)
        .set("circuitBreaker", "failureRateThreshold", "50")
        .set("bulkhead", "maxConcurrentCalls", "10")
        .set("timeout", "duration", "1s")
        .set("retry", "maxAttempts", "3");
  }

  private static Brownout runtime(Map<String, String> settings) {
    return Brownout.builder().config(ConfigSource.of(settings, "test settings")).build();
  }

  @Test
  void theTableCoversEveryAttributeOfEveryPolicy() {
    for (String policy : new String[] {"circuitBreaker", "bulkhead", "timeout", "retry"}) {
      Set<String> tested =
          new TreeSet<>(
              attributes().filter(a -> a.policy().equals(policy)).map(Attribute::name).toList());
      assertThat(tested).as(policy).isEqualTo(new TreeSet<>(GuardSpec.attributes(policy)));
    }
  }

  @ParameterizedTest
  @MethodSource("attributes")
  void aValidOverrideOfEachAttributeIsAccepted(Attribute attribute) {
    try (Brownout brownout = runtime(Map.of(attribute.key(), attribute.good()))) {
      assertThatCode(() -> annotated().build(brownout)).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest
  @MethodSource("attributes")
  void anInvalidOverrideOfEachAttributeFailsNamingTheKeyTheValueAndTheRule(Attribute attribute) {
    String rule =
        GuardSpec.check(attribute.policy(), attribute.name(), attribute.bad()).orElseThrow();
    try (Brownout brownout = runtime(Map.of(attribute.key(), attribute.bad()))) {
      assertThatThrownBy(() -> annotated().build(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(attribute.key() + " = " + attribute.bad() + " (from test settings): " + rule);
    }
  }

  @Test
  void overridesThatAreValidAloneButNotTogetherFailNamingTheKeys() {
    String key = GuardNames.configKey(GUARD, "retry", "maxDuration");
    String wait = GuardNames.configKey(GUARD, "retry", "waitDuration");
    try (Brownout brownout = runtime(Map.of(key, "1s", wait, "2s"))) {
      assertThatThrownBy(() -> annotated().build(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              key
                  + " = 1s, "
                  + wait
                  + " = 2s (from test settings): retry.maxDuration must be longer than the"
                  + " shortest wait between attempts, PT2S, or no retry could ever start, but was PT1S");
    }
  }

  @Test
  void anOverrideTakesEffect() {
    try (Brownout brownout =
        runtime(Map.of(GuardNames.configKey(GUARD, "bulkhead", "maxConcurrentCalls"), "7"))) {
      Guard guard = annotated().build(brownout);

      assertThat(guard.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(7);
    }
  }

  @Test
  void theSettingsOfAGuardWhoseNameGoesOnFromThisOnesAreLeftToThatGuard() {
    String mine = GuardNames.configKey(GUARD, "bulkhead", "maxConcurrentCalls");
    String longer = GuardNames.configKey(GUARD + ".v2", "bulkhead", "maxConcurrentCalls");
    try (Brownout brownout = runtime(Map.of(mine, "7", longer, "3"))) {
      Guard guard = annotated().build(brownout);
      Guard v2 = GuardSpec.named(GUARD + ".v2").policy("bulkhead").build(brownout);

      assertThat(guard.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(7);
      assertThat(v2.bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(3);
    }
  }

  @Test
  void aKeyUnderThisGuardThatNamesNoSettingOfAnyGuardFailsWhenTheRuntimeIsBuilt() {
    // Misspelt for Orders.place.v2, or a policy "v2" of Orders.place: either way it is never
    // ignored.
    String key = "brownout.guard.Orders.place.v2.bulkhead.maxCalls";
    assertThatThrownBy(() -> runtime(Map.of(key, "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            key
                + " = 3 (from test settings) is not a setting;"
                + " the nearest valid key is brownout.guard.Orders.place.v2.bulkhead.maxConcurrentCalls");
  }

  @Test
  void anUnknownAttributeFailsNamingTheKeyTheValueAndTheNearestKey() {
    String key = GuardNames.configKey(GUARD, "circuitBreaker", "failureThreshold");
    assertThatThrownBy(() -> runtime(Map.of(key, "50")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            key
                + " = 50 (from test settings) is not a setting;"
                + " the nearest valid key is "
                + GuardNames.configKey(GUARD, "circuitBreaker", "failureRateThreshold"));
  }

  @Test
  void aMisspeltDeadlineKeyFailsNamingTheNearestKey() {
    String key = GuardNames.configKey(GUARD, "timeout", "deadlin");
    assertThatThrownBy(() -> runtime(Map.of(key, "1s")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            key
                + " = 1s (from test settings) is not a setting;"
                + " the nearest valid key is "
                + GuardNames.configKey(GUARD, "timeout", "deadline"));
  }

  @Test
  void aDefaultDeadlineAndAClassRetryOptInApplyToTheGuard() {
    Map<String, String> keys =
        Map.of(
            "brownout.defaults.timeout.deadline", "50ms",
            "brownout.guard.Orders.retry.retryOnRejection", "CallNotPermittedException");
    try (Brownout brownout = runtime(keys)) {
      Guard guard = annotated().inClass("Orders").build(brownout);
      java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);

      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        never.await();
                        return "late";
                      }))
          .isInstanceOf(dev.brownout.core.DeadlineExceededException.class);
    }
  }

  @Test
  void anUnknownPolicyFailsNamingTheKeyAndTheValue() {
    String key = "brownout.guard.Orders.place.recover.place";
    assertThatThrownBy(() -> runtime(Map.of(key, "checkout")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            key
                + " = checkout (from test settings) is not a setting; the nearest valid key is"
                + " brownout.guard.Orders.place.");
  }

  @Test
  void anOverrideOfAPolicyTheGuardLacksFailsNamingTheKeyAndTheValue() {
    String key = GuardNames.configKey(GUARD, "bulkhead", "maxConcurrentCalls");
    try (Brownout brownout = runtime(Map.of(key, "7"))) {
      assertThatThrownBy(
              () -> GuardSpec.named(GUARD).set("retry", "maxAttempts", "2").build(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              key
                  + " = 7 (from test settings) sets bulkhead of guard 'Orders.place', which has no bulkhead policy;"
                  + " add it in the code first");
    }
  }

  @Test
  void overridesOfOtherGuardsAreNotThisGuardsConcern() {
    try (Brownout brownout =
        runtime(Map.of("brownout.guard.Orders.cancel.circuitBreaker.failureRateThreshold", "20"))) {
      assertThatCode(() -> annotated().build(brownout)).doesNotThrowAnyException();
    }
  }
}
