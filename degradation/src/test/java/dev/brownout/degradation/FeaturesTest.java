package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeaturesTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aFeatureIsOnUntilSwitchedOffAndOnAgain() {
    Feature avatars = features.feature("feed.avatars");
    assertThat(avatars.isEnabled()).isTrue();
    assertThat(avatars.isEnabled("user-1")).isTrue();

    FeatureState off = features.set("feed.avatars", Switch.off("image store down").by("alice"));

    assertThat(avatars.isEnabled()).isFalse();
    assertThat(avatars.isEnabled("user-1")).isFalse();
    assertThat(off.effective()).isEqualTo("OFF");
    assertThat(off.cause()).isEqualTo("switched off by alice: image store down");
    assertThat(off.source()).isEqualTo("api");

    features.set("feed.avatars", Switch.on());
    assertThat(avatars.isEnabled()).isTrue();
    assertThat(avatars.state().cause()).isNull();
  }

  @Test
  void theSameNameIsTheSameFeature() {
    assertThat(features.feature("feed.avatars")).isSameAs(features.feature("feed.avatars"));
    assertThat(Features.of(runtime.brownout)).isSameAs(features);
  }

  @Test
  void aParentOffTurnsEveryChildOffAndAChildIsNeverMoreEnabledThanItsParent() {
    Feature feed = features.feature("feed");
    Feature recommendations = features.feature("feed.recommendations");
    Feature trending = features.feature("feed.recommendations.trending");
    Feature search = features.feature("search");

    features.set("feed", Switch.off("maintenance"));

    assertThat(feed.isEnabled()).isFalse();
    assertThat(recommendations.isEnabled()).isFalse();
    assertThat(trending.isEnabled("k")).isFalse();
    assertThat(search.isEnabled()).isTrue();
    assertThat(trending.state().cause())
        .isEqualTo(
            "parent feed.recommendations is OFF: parent feed is OFF: switched off: maintenance");

    features.set("feed", Switch.rollout(10));
    features.set("feed.recommendations", Switch.rollout(50));
    assertThat(recommendations.state().effective()).isEqualTo("ROLLOUT 10%");
    assertThat(recommendations.state().enabledPercent()).isEqualTo(10.0);
  }

  @Test
  void anExpiringSwitchReturnsToOnByItselfAndTheAuditSaysSo() {
    Feature comments = features.feature("comments");
    features.set("comments", Switch.off("db failover").lasting(Duration.ofMinutes(10)));

    runtime.advance(Duration.ofMinutes(9));
    assertThat(comments.isEnabled()).isFalse();
    assertThat(comments.state().expiresAt()).isNotNull();

    runtime.advance(Duration.ofMinutes(1));
    assertThat(comments.isEnabled()).isTrue();
    SwitchChange last = features.history().get(features.history().size() - 1);
    assertThat(last.feature()).isEqualTo("comments");
    assertThat(last.from()).isEqualTo("OFF");
    assertThat(last.to()).isEqualTo("ON");
    assertThat(last.source()).isEqualTo("expiry");
    assertThat(last.cause())
        .startsWith("expired: OFF until=")
        .endsWith(" reason=db failover; back to ON (nothing else sets it)");
  }

  @Test
  void untilIsAnInstantOnTheRuntimesClock() {
    Feature comments = features.feature("comments");
    features.set("comments", Switch.off("x").until(features.now().plus(Duration.ofSeconds(30))));
    runtime.advance(Duration.ofSeconds(29));
    assertThat(comments.isEnabled()).isFalse();
    runtime.advance(Duration.ofSeconds(1));
    assertThat(comments.isEnabled()).isTrue();
  }

  @Test
  void aRolloutIsStickyPerKeyAndNeedsAKey() {
    Feature beta = features.feature("beta");
    features.set("beta", Switch.rollout(30));

    assertThat(beta.isEnabled()).isFalse();
    for (int user = 0; user < 1000; user++) {
      String key = "user-" + user;
      assertThat(beta.isEnabled(key)).isEqualTo(beta.isEnabled(key));
      assertThat(beta.isEnabled((long) user)).isEqualTo(beta.isEnabled(Long.valueOf(user)));
    }
    assertThat(beta.isEnabled(null)).isFalse();
  }

  @Test
  void aRolloutAdmitsTheSameKeysOnAnotherInstance() {
    try (TestRuntime other = new TestRuntime()) {
      features.set("beta", Switch.rollout(42.5));
      other.features.set("beta", Switch.rollout(42.5));
      for (int user = 0; user < 2000; user++) {
        assertThat(features.feature("beta").isEnabled("u" + user))
            .isEqualTo(other.features.feature("beta").isEnabled("u" + user));
      }
    }
  }

  @Test
  void theLevelShedsTheLeastImportantFirstAndNeverP0() {
    Feature core = features.define("answers").priority(Priority.P0).register();
    Feature important = features.define("comments").priority(Priority.P1).register();
    Feature useful = features.define("related").priority(Priority.P2).register();
    Feature nice = features.define("recommendations").priority(Priority.P3).register();
    Feature cosmetic = features.define("avatars").priority(Priority.P4).register();
    List<Feature> byPriority = List.of(core, important, useful, nice, cosmetic);

    for (int level = 0; level <= Priority.MAX_LEVEL; level++) {
      features.setLevel(level, "test");
      for (Feature feature : byPriority) {
        boolean shed =
            feature.priority() != Priority.P0
                && feature.priority().number() > Priority.MAX_LEVEL - level;
        assertThat(feature.isEnabled())
            .as("%s at level %d", feature.name(), level)
            .isEqualTo(!shed);
      }
    }
    assertThat(cosmetic.state().cause()).isEqualTo("brownout level 4 sheds P4");
    assertThat(features.history())
        .anySatisfy(
            c -> {
              assertThat(c.feature()).isEqualTo(Features.LEVEL);
              assertThat(c.from()).isEqualTo("3");
              assertThat(c.to()).isEqualTo("4");
            });
  }

  @Test
  void anOperatorCanStillSwitchAP0FeatureOffByHand() {
    Feature core = features.define("answers").priority(Priority.P0).register();
    features.set("answers", Switch.off("emergency"));
    assertThat(core.isEnabled()).isFalse();
  }

  @Test
  void badDefinitionsAreRefusedWithTheSettingAndValue() {
    features.define("feed").priority(Priority.P3).register();
    assertThatThrownBy(() -> features.define("feed.core").priority(Priority.P0).register())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature feed.core.priority")
        .hasMessageContaining("P0")
        .hasMessageContaining("parent feed (P3)");
    assertThatThrownBy(() -> features.define("feed").register())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already defined");
    assertThatThrownBy(
            () ->
                features
                    .define("core")
                    .priority(Priority.P0)
                    .trigger(Trigger.above("x", () -> 0, 1, 0))
                    .register())
        .hasMessageContaining("feature core.trigger")
        .hasMessageContaining("never degraded automatically");
    assertThatThrownBy(() -> features.feature("Feed"))
        .hasMessageContaining("feature.name")
        .hasMessageContaining("'Feed'");
    assertThatThrownBy(() -> features.setLevel(5, "x"))
        .hasMessageContaining("features.level")
        .hasMessageContaining("5");
  }

  @Test
  void aParentLookedUpFirstTakesItsDefinitionLaterUnlessAChildIsMoreImportant() {
    features.feature("feed.recommendations");
    Feature feed = features.define("feed").priority(Priority.P1).register();
    assertThat(feed.priority()).isEqualTo(Priority.P1);

    features.define("search.suggestions").priority(Priority.P1).register();
    assertThatThrownBy(() -> features.define("search").priority(Priority.P3).register())
        .hasMessageContaining("less important than its child search.suggestions (P1)");
  }

  @Test
  void everyChangeIsInTheHistoryWhichIsBounded() {
    try (TestRuntime small = new TestRuntime(java.util.Map.of(Features.HISTORY_KEY, "3"))) {
      for (int i = 0; i < 5; i++) {
        small.features.set("x", i % 2 == 0 ? Switch.off("r" + i) : Switch.on().because("r" + i));
      }
      assertThat(small.features.history()).hasSize(3);
      assertThat(small.features.history())
          .extracting(SwitchChange::cause)
          .containsExactly("switched off: r2", "r3", "switched off: r4");
    }
  }

  @Test
  void aChildsConsequentialChangeIsRecordedWithTheParentsSource() {
    features.feature("feed.avatars");
    features.set("feed", Switch.off("x"), "admin");
    assertThat(features.history())
        .extracting(SwitchChange::feature, SwitchChange::to, SwitchChange::source)
        .contains(
            org.assertj.core.groups.Tuple.tuple("feed", "OFF", "admin"),
            org.assertj.core.groups.Tuple.tuple("feed.avatars", "OFF", "admin"));
  }

  @Test
  void aSnapshotShowsEveryFeature() {
    features.feature("a.b");
    features.set("c", Switch.rollout(12.5));
    assertThat(features.snapshot()).containsOnlyKeys("a", "a.b", "c");
    assertThat(features.snapshot().get("c").effective()).isEqualTo("ROLLOUT 12.5%");
    assertThat(features.snapshot().get("c").isDegraded()).isTrue();
  }
}
