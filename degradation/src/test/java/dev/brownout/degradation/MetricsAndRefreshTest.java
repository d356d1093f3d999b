package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsAndRefreshTest {

  @Test
  void stateLevelChangesAndDegradedCallsAreMetered() throws Exception {
    try (TestRuntime runtime = new TestRuntime()) {
      Features features = runtime.features;
      features.define("feed.avatars").priority(Priority.P4).register();
      features.set("beta", Switch.rollout(25));
      SimpleMeterRegistry registry = runtime.registry;

      assertThat(
              registry.get("brownout.feature.state").tag("feature", "feed.avatars").gauge().value())
          .isEqualTo(1.0);
      assertThat(registry.get("brownout.feature.state").tag("feature", "beta").gauge().value())
          .isEqualTo(0.25);

      features.setLevel(1, "sale");
      assertThat(
              registry.get("brownout.feature.state").tag("feature", "feed.avatars").gauge().value())
          .isEqualTo(0.0);
      assertThat(registry.get("brownout.level").gauge().value()).isEqualTo(1.0);
      assertThat(
              registry
                  .get("brownout.feature.changes")
                  .tag("source", "api")
                  .functionCounter()
                  .count())
          .isEqualTo(2.0);
      assertThat(
              registry
                  .get("brownout.feature.changes")
                  .tag("source", "level")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);

      var guard =
          runtime
              .brownout
              .guard("avatars")
              .admission(
                  features.feature("feed.avatars").degradeTo(DegradationStrategy.value("grey")))
              .build();
      guard.call(() -> "photo");
      assertThat(
              registry
                  .get("brownout.feature.degraded.calls")
                  .tags("feature", "feed.avatars", "strategy", "value")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
      assertThat(
              registry
                  .get("brownout.calls")
                  .tags("guard", "avatars", "outcome", "degraded")
                  .functionTimer()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void theRefreshThreadExpiresSwitchesByItselfAndStopsWithTheRuntime() {
    Brownout brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of(Features.REFRESH_KEY, "20ms"), "test"))
            .build();
    Features features = Features.of(brownout);
    Feature comments = features.feature("comments");
    features.set("comments", Switch.off("failover").lasting(Duration.ofMillis(100)));
    assertThat(comments.isEnabled()).isFalse();

    await().atMost(Duration.ofSeconds(10)).until(comments::isEnabled);

    brownout.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("brownout-features") && t.isAlive()));
  }

  @Test
  void aBadRefreshSettingIsRefusedWithItsName() {
    try (Brownout brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of(Features.REFRESH_KEY, "soon"), "test"))
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Features.of(brownout))
          .hasMessageContaining("brownout.features.refresh")
          .hasMessageContaining("'soon'");
    }
    try (Brownout brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of(Features.HISTORY_KEY, "-1"), "test"))
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Features.of(brownout))
          .hasMessageContaining("brownout.features.history");
    }
  }
}
