package dev.brownout.openfeature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.Trigger;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrownoutProviderTest {

  private final TestRuntime runtime = new TestRuntime();

  @AfterEach
  void close() {
    runtime.close();
  }

  private FlagEvaluationDetails<Boolean> evaluate(String flag, String key) {
    return runtime.client.getBooleanDetails(flag, false, new ImmutableContext(key));
  }

  @Test
  void isReadyOnceRegistered() {
    assertThat(runtime.client.getProviderState()).isEqualTo(ProviderState.READY);
    assertThat(runtime.client.getMetadata().getDomain()).isEqualTo(runtime.domain);
  }

  @Test
  void aFeatureOnIsTrueAndStatic() {
    runtime.features.feature("feed.avatars");

    FlagEvaluationDetails<Boolean> details = evaluate("feed.avatars", "user-1");

    assertThat(details.getValue()).isTrue();
    assertThat(details.getReason()).isEqualTo(Reason.STATIC.toString());
    assertThat(details.getVariant()).isEqualTo("on");
    assertThat(details.getErrorCode()).isNull();
    assertThat(details.getFlagMetadata().getString("switch")).isEqualTo("ON");
    assertThat(details.getFlagMetadata().getString("cause")).isNull();
  }

  @Test
  void aFeatureSwitchedOffIsFalseAndStaticWithTheCauseAndTheSwitchsReason() {
    runtime.features.set("feed.avatars", Switch.off("image store down").by("alice"));

    FlagEvaluationDetails<Boolean> details =
        runtime.client.getBooleanDetails("feed.avatars", true, new ImmutableContext("user-1"));

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(Reason.STATIC.toString());
    assertThat(details.getVariant()).isEqualTo("off");
    assertThat(details.getFlagMetadata().getString("cause"))
        .isEqualTo("switched off by alice: image store down");
    assertThat(details.getFlagMetadata().getString("switchReason")).isEqualTo("image store down");
    assertThat(details.getFlagMetadata().getString("switch"))
        .isEqualTo("OFF by=alice reason=image store down");
    assertThat(details.getFlagMetadata().getString("source")).isEqualTo("api");
    assertThat(details.getFlagMetadata().getString("effective")).isEqualTo("OFF");
    assertThat(details.getFlagMetadata().getDouble("enabledPercent")).isEqualTo(0.0);
    assertThat(details.getFlagMetadata().getString("priority")).isEqualTo("P2");
  }

  @Test
  void aRolloutIsASplitByTheTargetingKey() {
    Feature beta = runtime.features.feature("feed.beta");
    runtime.features.set("feed.beta", Switch.rollout(50));
    String in = firstKey(beta, true);
    String out = firstKey(beta, false);

    FlagEvaluationDetails<Boolean> admitted = evaluate("feed.beta", in);
    FlagEvaluationDetails<Boolean> left = evaluate("feed.beta", out);

    assertThat(admitted.getValue()).isTrue();
    assertThat(admitted.getVariant()).isEqualTo("on");
    assertThat(left.getValue()).isFalse();
    assertThat(left.getVariant()).isEqualTo("off");
    assertThat(List.of(admitted.getReason(), left.getReason()))
        .containsOnly(Reason.SPLIT.toString());
    assertThat(left.getFlagMetadata().getString("cause")).isEqualTo("rolled out to ROLLOUT 50%");
    assertThat(left.getFlagMetadata().getDouble("enabledPercent")).isEqualTo(50.0);
  }

  private static String firstKey(Feature feature, boolean enabled) {
    for (int i = 0; ; i++) {
      if (feature.isEnabled("user-" + i) == enabled) {
        return "user-" + i;
      }
    }
  }

  @Test
  void aRolloutWithoutATargetingKeyIsOffAsForIsEnabledWithoutAKey() {
    runtime.features.set("feed.beta", Switch.rollout(99));

    FlagEvaluationDetails<Boolean> details =
        runtime.client.getBooleanDetails("feed.beta", true, new ImmutableContext());

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(Reason.SPLIT.toString());
  }

  @Test
  void aFeatureTurnedOffByItsTriggerIsDisabledWithTheCause() {
    AtomicReference<Double> load = new AtomicReference<>(0.0);
    runtime
        .features
        .define("feed.comments")
        .trigger(Trigger.above("comment store load", load::get, 0.9, 0.5).holdFor(Duration.ZERO))
        .initially(Switch.auto())
        .register();
    assertThat(evaluate("feed.comments", "k").getReason()).isEqualTo(Reason.STATIC.toString());

    load.set(1.0);
    runtime.features.refresh();
    FlagEvaluationDetails<Boolean> details = evaluate("feed.comments", "k");

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(Reason.DISABLED.toString());
    assertThat(details.getFlagMetadata().getString("cause"))
        .startsWith("auto: ")
        .contains("comment store load");
    assertThat(details.getFlagMetadata().getString("switch")).isEqualTo("AUTO");
  }

  @Test
  void aFeatureShedByTheLevelIsDisabledWithTheCause() {
    runtime.features.define("feed.avatars").priority(Priority.P4).register();
    runtime.features.set("feed.avatars", Switch.rollout(30));

    runtime.features.setLevel(1, "peak");
    FlagEvaluationDetails<Boolean> details = evaluate("feed.avatars", "k");

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(Reason.DISABLED.toString());
    assertThat(details.getFlagMetadata().getString("cause")).isEqualTo("brownout level 1 sheds P4");
  }

  @Test
  void aFeatureOffBecauseOfItsParentIsDisabledWithTheParentsCause() {
    runtime.features.feature("feed.avatars");
    runtime.features.set("feed", Switch.off("maintenance"));

    FlagEvaluationDetails<Boolean> details = evaluate("feed.avatars", "k");

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo(Reason.DISABLED.toString());
    assertThat(details.getFlagMetadata().getString("cause"))
        .isEqualTo("parent feed is OFF: switched off: maintenance");
  }

  @Test
  void anUnknownFlagIsNotFoundAndAnswersTheDefaultWithoutCreatingAFeature() {
    FlagEvaluationDetails<Boolean> details =
        runtime.client.getBooleanDetails("feed.unknown", true, new ImmutableContext("k"));

    assertThat(details.getValue()).isTrue();
    assertThat(details.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(details.getReason()).isEqualTo(Reason.ERROR.toString());
    assertThat(details.getErrorMessage()).contains("feed.unknown");
    assertThat(runtime.features.find("feed.unknown")).isNull();
    assertThat(runtime.features.all()).isEmpty();
  }

  @Test
  void aFeatureAskedForAsAnotherTypeIsATypeMismatchAnsweringTheDefault() {
    runtime.features.set("feed.avatars", Switch.off("down"));

    FlagEvaluationDetails<String> text =
        runtime.client.getStringDetails("feed.avatars", "fallback");
    FlagEvaluationDetails<Integer> number = runtime.client.getIntegerDetails("feed.avatars", 7);
    FlagEvaluationDetails<Double> real = runtime.client.getDoubleDetails("feed.avatars", 0.5);
    FlagEvaluationDetails<Value> object =
        runtime.client.getObjectDetails("feed.avatars", new Value("x"));

    assertThat(text.getValue()).isEqualTo("fallback");
    assertThat(number.getValue()).isEqualTo(7);
    assertThat(real.getValue()).isEqualTo(0.5);
    assertThat(object.getValue()).isEqualTo(new Value("x"));
    assertThat(List.of(text, number, real, object))
        .extracting(FlagEvaluationDetails::getErrorCode)
        .containsOnly(ErrorCode.TYPE_MISMATCH);
    assertThat(text.getErrorMessage()).contains("feed.avatars").contains("boolean");
  }

  @Test
  void anotherTypeOfAnUnknownFlagIsNotFound() {
    assertThat(runtime.client.getStringDetails("feed.unknown", "x").getErrorCode())
        .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
  }

  @Test
  void aSwitchChangeIsAConfigurationChangedEventNamingTheFlagsItChanged() {
    runtime.features.feature("feed.avatars");
    runtime.features.feature("feed.comments");
    runtime.features.feature("search");
    List<EventDetails> events = new CopyOnWriteArrayList<>();
    runtime.client.onProviderConfigurationChanged(events::add);

    runtime.features.set("feed", Switch.off("maintenance"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    EventDetails event = events.get(0);
    assertThat(event.getFlagsChanged()).containsExactly("feed", "feed.avatars", "feed.comments");
    assertThat(event.getProviderName()).isEqualTo(BrownoutProvider.NAME);
    assertThat(event.getMessage()).contains("feed ON -> OFF (switched off: maintenance)");
    assertThat(events).hasSize(1);
  }

  @Test
  void aProviderShutDownIsNoLongerHeldByTheFeatures() {
    WeakReference<BrownoutProvider> released = initializedAndShutDown();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              System.gc();
              return released.get() == null;
            });
  }

  /** A provider the features listened to, shut down, and no longer referenced by the test. */
  private WeakReference<BrownoutProvider> initializedAndShutDown() {
    BrownoutProvider provider = BrownoutProvider.of(runtime.features);
    provider.initialize(new ImmutableContext());
    provider.shutdown();
    return new WeakReference<>(provider);
  }

  @Test
  void aProviderShutDownCannotBeInitializedAgain() {
    BrownoutProvider used = BrownoutProvider.of(runtime.features);
    used.initialize(new ImmutableContext());
    used.shutdown();
    String domain = runtime.domain + "-again";

    OpenFeatureAPI.getInstance().setProvider(domain, used);
    Client again = OpenFeatureAPI.getInstance().getClient(domain);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> again.getProviderState() == ProviderState.ERROR);
    assertThatThrownBy(() -> used.initialize(new ImmutableContext()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("register a new one");
  }

  @Test
  void aTriggerThatFiresIsAnEventFromTheRefresh() {
    AtomicReference<Double> load = new AtomicReference<>(0.0);
    runtime
        .features
        .define("feed.comments")
        .trigger(Trigger.above("comment store load", load::get, 0.9, 0.5).holdFor(Duration.ZERO))
        .initially(Switch.auto())
        .register();
    List<EventDetails> events = new CopyOnWriteArrayList<>();
    runtime.client.onProviderConfigurationChanged(events::add);

    load.set(1.0);
    runtime.features.refresh();

    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    assertThat(events.get(0).getFlagsChanged()).containsExactly("feed.comments");
    assertThat(events.get(0).getMessage()).contains("feed.comments ON -> OFF (auto: ");
  }

  @Test
  void aLevelChangeThatShedsNoFeatureIsNoEvent() {
    runtime.features.define("checkout").priority(Priority.P0).register();
    runtime.features.feature("search");
    List<EventDetails> events = new CopyOnWriteArrayList<>();
    runtime.client.onProviderConfigurationChanged(events::add);

    runtime.features.setLevel(1, "peak");
    runtime.features.set("search", Switch.off("index rebuild"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getFlagsChanged()).containsExactly("search");
  }

  @Test
  void aLevelChangeIsAnEventNamingTheFeaturesItShed() {
    runtime.features.define("feed.avatars").priority(Priority.P4).register();
    runtime.features.define("checkout").priority(Priority.P0).register();
    List<EventDetails> events = new CopyOnWriteArrayList<>();
    runtime.client.onProviderConfigurationChanged(events::add);

    runtime.features.setLevel(1, "peak");

    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    assertThat(events.get(0).getFlagsChanged()).containsExactly("feed.avatars");
  }
}
