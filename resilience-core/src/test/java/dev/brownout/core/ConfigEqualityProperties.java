package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Configs compare by value: the same settings give equal configs (and equal hash codes and text),
 * and changing any one setting gives an unequal config whose difference names that setting.
 */
class ConfigEqualityProperties {

  /** One setting of a builder, the values it may take, and how to set it. */
  record Setting<B>(String name, List<?> values, BiConsumer<B, Object> set) {}

  private static final List<Setting<CircuitBreakerConfig.Builder>> BREAKER =
      List.of(
          new Setting<>(
              "slidingWindowType",
              List.of(CircuitBreakerConfig.WindowType.values()),
              (b, v) -> b.slidingWindowType((CircuitBreakerConfig.WindowType) v)),
          new Setting<>(
              "slidingWindowSize",
              List.of(10, 100, 500),
              (b, v) -> b.slidingWindowSize((Integer) v)),
          new Setting<>(
              "minimumNumberOfCalls",
              List.of(1, 5, 100),
              (b, v) -> b.minimumNumberOfCalls((Integer) v)),
          new Setting<>(
              "failureRateThreshold",
              List.of(10f, 50f, 99.5f),
              (b, v) -> b.failureRateThreshold((Float) v)),
          new Setting<>(
              "slowCallRateThreshold",
              List.of(20f, 100f),
              (b, v) -> b.slowCallRateThreshold((Float) v)),
          new Setting<>(
              "slowCallDurationThreshold",
              List.of(Duration.ofMillis(200), Duration.ofSeconds(60)),
              (b, v) -> b.slowCallDurationThreshold((Duration) v)),
          new Setting<>(
              "waitIntervalFunctionInOpenState",
              List.of(
                  Backoff.fixed(Duration.ofSeconds(60)),
                  Backoff.exponential(Duration.ofSeconds(1), 2),
                  Backoff.exponentialRandom(Duration.ofSeconds(1), 2, 0.5, Duration.ofMinutes(1))),
              (b, v) -> b.waitIntervalFunctionInOpenState((Backoff) v)),
          new Setting<>(
              "permittedNumberOfCallsInHalfOpenState",
              List.of(1, 10),
              (b, v) -> b.permittedNumberOfCallsInHalfOpenState((Integer) v)),
          new Setting<>(
              "recordExceptions",
              List.of(
                  List.of(),
                  List.of(IOException.class),
                  List.of(IOException.class, IllegalStateException.class)),
              (b, v) -> b.recordExceptions(types(v))),
          new Setting<>(
              "ignoreExceptions",
              List.of(List.of(), List.of(IllegalArgumentException.class)),
              (b, v) -> b.ignoreExceptions(types(v))));

  private static final List<Setting<RetryConfig.Builder>> RETRY =
      List.of(
          new Setting<>("maxAttempts", List.of(1, 3, 7), (b, v) -> b.maxAttempts((Integer) v)),
          new Setting<>(
              "backoff",
              List.of(
                  Backoff.fixed(Duration.ZERO),
                  Backoff.linear(Duration.ofMillis(10), Duration.ofMillis(5)),
                  Backoff.exponentialRandom(
                      Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(10))),
              (b, v) -> b.backoff((Backoff) v)),
          new Setting<>(
              "retryOn",
              List.of(List.of(), List.of(IOException.class)),
              (b, v) -> b.retryOn(types(v))),
          new Setting<>(
              "abortOn",
              List.of(List.of(), List.of(java.io.FileNotFoundException.class)),
              (b, v) -> b.abortOn(types(v))));

  @SuppressWarnings({"unchecked", "rawtypes"}) // the value is a list of exception classes
  private static Class<? extends Throwable>[] types(Object value) {
    return ((List<Class<? extends Throwable>>) value).toArray(new Class[0]);
  }

  @Provide
  Arbitrary<List<Integer>> breakerChoices() {
    return choices(BREAKER.size());
  }

  @Provide
  Arbitrary<List<Integer>> retryChoices() {
    return choices(RETRY.size());
  }

  private static Arbitrary<List<Integer>> choices(int settings) {
    return Arbitraries.integers().between(0, 1_000).list().ofSize(settings);
  }

  @Property
  void breakerConfigsWithTheSameSettingsAreEqualAndOneChangedSettingIsNamed(
      @ForAll("breakerChoices") List<Integer> choices, @ForAll int changed, @ForAll int shift) {
    check(
        BREAKER,
        CircuitBreakerConfig::builder,
        CircuitBreakerConfig.Builder::build,
        choices,
        changed,
        shift);
  }

  @Property
  void retryConfigsWithTheSameSettingsAreEqualAndOneChangedSettingIsNamed(
      @ForAll("retryChoices") List<Integer> choices, @ForAll int changed, @ForAll int shift) {
    check(RETRY, RetryConfig::builder, RetryConfig.Builder::build, choices, changed, shift);
  }

  private static <B, C> void check(
      List<Setting<B>> settings,
      Supplier<B> builder,
      Function<B, C> build,
      List<Integer> choices,
      int changed,
      int shift) {
    C first = build(settings, builder, build, choices);
    C second = build(settings, builder, build, choices);

    assertThat(second).isEqualTo(first).hasSameHashCodeAs(first).hasToString(first.toString());

    int index = Math.floorMod(changed, settings.size());
    Setting<B> setting = settings.get(index);
    int size = setting.values().size();
    int original = Math.floorMod(choices.get(index), size);
    List<Integer> other = new java.util.ArrayList<>(choices);
    other.set(index, original + 1 + Math.floorMod(shift, size - 1));
    C different = build(settings, builder, build, other);

    assertThat(different).isNotEqualTo(first);
    assertThat(ConfigValues.difference(first, different))
        .startsWith("configs differ in " + setting.name());
  }

  /**
   * Parts registered with something other than a config, such as an adopted Resilience4j breaker.
   */
  @Example
  void twoPartsOfOneClassThatAreNotConfigsAreNamedAsTwoInstances() {
    assertThat(
            ConfigValues.difference(
                new java.util.concurrent.Semaphore(1), new java.util.concurrent.Semaphore(1)))
        .isEqualTo("two different Semaphore instances");
    assertThat(
            ConfigValues.difference(
                CircuitBreakerConfig.ofDefaults(), new java.util.concurrent.Semaphore(1)))
        .isEqualTo("one is a CircuitBreakerConfig, the other a Semaphore");
  }

  private static <B, C> C build(
      List<Setting<B>> settings, Supplier<B> builder, Function<B, C> build, List<Integer> choices) {
    B b = builder.get();
    for (int i = 0; i < settings.size(); i++) {
      Setting<B> setting = settings.get(i);
      setting
          .set()
          .accept(b, setting.values().get(Math.floorMod(choices.get(i), setting.values().size())));
    }
    return build.apply(b);
  }
}
