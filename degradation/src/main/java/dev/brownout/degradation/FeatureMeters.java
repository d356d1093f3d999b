package dev.brownout.degradation;

import dev.brownout.core.Brownout;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one {@link Features}, bound to the registries of its runtime. Each counter is a
 * {@link LongAdder} made on first use and bound once, so counting is an increment with no lookup in
 * a registry and no lock on the call's path.
 */
final class FeatureMeters {

  private final Brownout runtime;
  private final Map<String, LongAdder> degradedCalls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> changes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sourceErrors = new ConcurrentHashMap<>();

  FeatureMeters(Brownout runtime) {
    this.runtime = runtime;
  }

  /** {@code brownout.level}: the brownout level, read from {@code level} when a registry asks. */
  <T> void bindLevel(T owner, ToDoubleFunction<T> level) {
    runtime.bindMeters(
        registry ->
            Gauge.builder("brownout.level", owner, level)
                .description("The brownout level: features with a priority it sheds are off")
                .register(registry));
  }

  /** {@code brownout.feature.state}: the share of keys {@code feature} is on for. */
  void bindState(Feature feature) {
    runtime.bindMeters(
        registry ->
            Gauge.builder(
                    "brownout.feature.state", feature, f -> f.state().enabledPercent() / 100.0)
                .description(
                    "The share of keys the feature is on for: 1 on, 0 off (degraded), between for a rollout")
                .tag("feature", feature.name())
                .register(registry));
  }

  /** The counter of calls of {@code feature} served by {@code strategy}, shared by every guard. */
  LongAdder degradedCalls(String feature, String strategy) {
    return counter(
        degradedCalls,
        feature + '\n' + strategy,
        "brownout.feature.degraded.calls",
        "Calls served a substitute because their feature was off",
        Tags.of("feature", feature, "strategy", strategy));
  }

  /**
   * Counts a change made by {@code source}: one tag value per source, however many instances it
   * names.
   */
  void countChange(ChangeSource source) {
    counter(
            changes,
            source.name(),
            "brownout.feature.changes",
            "Changes of a feature's switch or effect, and of the brownout level",
            Tags.of("source", source.name()))
        .increment();
  }

  void countSourceError(String source) {
    counter(
            sourceErrors,
            source,
            "brownout.switch.source.errors",
            "Failures of a switch source; its last good state is kept",
            Tags.of("source", source))
        .increment();
  }

  /**
   * The counter kept in {@code counters} under {@code key}, made and bound to the runtime's
   * registries once.
   */
  private LongAdder counter(
      Map<String, LongAdder> counters, String key, String meter, String description, Tags tags) {
    return counters.computeIfAbsent(
        key,
        k -> {
          LongAdder adder = new LongAdder();
          runtime.bindMeters(
              registry ->
                  FunctionCounter.builder(meter, adder, LongAdder::sum)
                      .description(description)
                      .tags(tags)
                      .register(registry));
          return adder;
        });
  }
}
