package dev.brownout.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.Trigger;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Reason;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.jspecify.annotations.Nullable;

/**
 * The OpenFeature client, through the provider, answers every flag as {@link
 * Feature#isEnabled(Object)} answers it for the targeting key, whatever the switches (ON, OFF, AUTO
 * with its trigger firing or not, ROLLOUT of any percent), the parents and the brownout level.
 */
class ClientAgreesWithFeaturesProperties {

  /** A tree with a child under a rollout, a grandchild, and a separate top-level feature. */
  private static final List<String> NAMES = List.of("feed", "feed.recs", "feed.recs.top", "search");

  private static final List<Priority> PRIORITIES =
      List.of(Priority.P1, Priority.P2, Priority.P3, Priority.P4);

  private static final boolean[] FIRING = new boolean[NAMES.size()];

  private static @Nullable TestRuntime runtime;

  @BeforeContainer
  static void start() {
    runtime = new TestRuntime();
    for (int i = 0; i < NAMES.size(); i++) {
      int feature = i;
      runtime
          .features
          .define(NAMES.get(i))
          .priority(PRIORITIES.get(i))
          .trigger(
              Trigger.above("trigger " + i, () -> FIRING[feature] ? 1 : 0, 0.5, 0.5)
                  .holdFor(Duration.ZERO))
          .register();
    }
  }

  @AfterContainer
  static void stop() {
    runtime.close();
  }

  @Property(tries = 300)
  void theClientAnswersWhatTheFeatureAnswersForTheTargetingKey(
      @ForAll @Size(4) List<@From("switches") Switch> switches,
      @ForAll @Size(4) List<Boolean> firing,
      @ForAll @IntRange(min = 0, max = 4) int level,
      @ForAll @Size(min = 1, max = 20) List<@From("keys") @Nullable String> keys) {
    for (int i = 0; i < NAMES.size(); i++) {
      runtime.features.set(NAMES.get(i), switches.get(i));
      FIRING[i] = firing.get(i);
    }
    runtime.features.setLevel(level, "property");
    runtime.features.refresh();

    for (String name : NAMES) {
      Feature feature = runtime.features.find(name);
      for (String key : keys) {
        boolean expected = feature.isEnabled(key);
        ImmutableContext context = key == null ? new ImmutableContext() : new ImmutableContext(key);

        FlagEvaluationDetails<Boolean> details =
            runtime.client.getBooleanDetails(name, !expected, context);

        assertThat(details.getValue()).as("%s for key %s", name, key).isEqualTo(expected);
        assertThat(details.getVariant()).isEqualTo(expected ? "on" : "off");
        assertThat(details.getErrorCode()).isNull();
        assertThat(details.getReason())
            .isEqualTo(Resolution.reasonOf(feature.state()).toString())
            .isIn(Reason.STATIC.toString(), Reason.SPLIT.toString(), Reason.DISABLED.toString());
      }
    }
  }

  @Provide
  Arbitrary<Switch> switches() {
    return Arbitraries.oneOf(
        Arbitraries.just(Switch.on()),
        Arbitraries.just(Switch.off("property")),
        Arbitraries.just(Switch.auto()),
        Arbitraries.doubles().between(0, 100).map(Switch::rollout),
        Arbitraries.integers().between(0, 100).map(Switch::rollout));
  }

  @Provide
  Arbitrary<@Nullable String> keys() {
    return Arbitraries.strings().ofMaxLength(12).injectNull(0.1);
  }
}
