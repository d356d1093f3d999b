package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.openfeature.BrownoutProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The examples of docs/openfeature.md, run with the OpenFeature SDK's own client. */
class OpenFeaturePageTest {

  private static final Logger log = LoggerFactory.getLogger(OpenFeaturePageTest.class);

  private final Brownout brownout = Brownout.builder()
      .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test settings"))
      .build();
  private final String userId = "user-42";

  @AfterEach
  void close() {
    brownout.close();
  }

  @AfterAll
  static void shutDownTheSdk() {
    OpenFeatureAPI.getInstance().shutdown();
  }

  /** Registers the provider as the page shows; returns the client. */
  private Client register(Features features) {
    // docs:begin
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(BrownoutProvider.of(features));   // READY once this returns
    Client flags = api.getClient();
    // docs:end
    return flags;
  }

  @Test
  void aFeatureIsABooleanFlagKeyedByTheTargetingKey() {
    // docs:begin
    Features features = Features.of(brownout);
    Feature recommendations = features.define("feed.recommendations").priority(Priority.P3).register();
    // docs:end
    Client flags = register(features);
    features.set("feed.recommendations", Switch.rollout(50));

    // docs:begin
    boolean show = flags.getBooleanValue("feed.recommendations", false, new ImmutableContext(userId));
    // the same answer as recommendations.isEnabled(userId)
    // docs:end

    assertThat(flags.getProviderState()).isEqualTo(ProviderState.READY);
    assertThat(show).isEqualTo(recommendations.isEnabled(userId));
    for (int i = 0; i < 200; i++) {
      String key = "user-" + i;
      assertThat(flags.getBooleanValue("feed.recommendations", false, new ImmutableContext(key)))
          .isEqualTo(recommendations.isEnabled(key));
    }
  }

  @Test
  void theDetailsSayWhyAFlagIsOff() {
    Features features = Features.of(brownout);
    features.define("feed.recommendations").priority(Priority.P3).register();
    Client flags = register(features);

    // docs:begin
    features.set("feed.recommendations", Switch.off("store is down").by("alice"));

    FlagEvaluationDetails<Boolean> details =
        flags.getBooleanDetails("feed.recommendations", true, new ImmutableContext(userId));
    details.getValue();                                  // false
    details.getReason();                                 // STATIC: its own switch decides
    details.getVariant();                                // off
    details.getFlagMetadata().getString("cause");        // switched off by alice: store is down
    // docs:end

    assertThat(details.getValue()).isFalse();
    assertThat(details.getReason()).isEqualTo("STATIC");
    assertThat(details.getVariant()).isEqualTo("off");
    assertThat(details.getFlagMetadata().getString("cause")).isEqualTo("switched off by alice: store is down");
    assertThat(details.getFlagMetadata().getString("switchReason")).isEqualTo("store is down");
    assertThat(details.getFlagMetadata().getString("switch")).isEqualTo("OFF by=alice reason=store is down");

    features.setLevel(2, "Black Friday peak");
    features.set("feed.recommendations", Switch.on());
    FlagEvaluationDetails<Boolean> shed =
        flags.getBooleanDetails("feed.recommendations", true, new ImmutableContext(userId));
    assertThat(shed.getValue()).isFalse();
    assertThat(shed.getReason()).isEqualTo("DISABLED");
    assertThat(shed.getFlagMetadata().getString("cause")).isEqualTo("brownout level 2 sheds P3");
  }

  @Test
  void anUnknownFlagOrAnotherTypeAnswersTheDefault() {
    Client flags = register(Features.of(brownout));
    Features.of(brownout).feature("feed.avatars");

    assertThat(flags.getBooleanDetails("feed.unknown", true).getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(flags.getBooleanValue("feed.unknown", true)).isTrue();
    assertThat(flags.getStringDetails("feed.avatars", "x").getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
  }

  @Test
  void aSwitchChangeIsAConfigurationChangedEvent() {
    Features features = Features.of(brownout);
    features.define("feed.recommendations").priority(Priority.P3).register();
    Client flags = register(features);
    List<List<String>> changed = new CopyOnWriteArrayList<>();
    flags.onProviderConfigurationChanged(event -> changed.add(event.getFlagsChanged()));

    // docs:begin
    flags.onProviderConfigurationChanged(event ->
        log.info("flags changed: {} ({})", event.getFlagsChanged(), event.getMessage()));
    // docs:end
    features.set("feed", Switch.off("maintenance"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !changed.isEmpty());
    assertThat(changed.get(0)).containsExactly("feed", "feed.recommendations");
  }
}
