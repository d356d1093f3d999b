package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwitchSourceSpiTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;

  @AfterEach
  void close() {
    runtime.close();
  }

  /** A source that records what it is offered and lets the test push changes. */
  private static final class Shared implements SwitchSource {
    final List<String> written = new ArrayList<>();
    SwitchSink sink;
    boolean failWrites;

    @Override
    public String name() {
      return "shared";
    }

    @Override
    public void start(SwitchSink target) {
      sink = target;
      target.replaceAll(Map.of("boot", Switch.off("set before start")));
    }

    @Override
    public void write(String feature, Switch setting) {
      if (failWrites) {
        throw new IllegalStateException("store unreachable");
      }
      written.add(feature + " " + setting);
    }
  }

  @Test
  void aSourceStartsWithItsStateAndIsOfferedEveryApiChangeWithAnAbsoluteExpiry() {
    Shared shared = new Shared();
    features.addSource(shared);
    assertThat(features.feature("boot").isEnabled()).isFalse();

    features.set("feed", Switch.off("x").lasting(Duration.ofMinutes(5)));
    assertThat(shared.written)
        .containsExactly(
            "feed OFF until=" + features.now().plus(Duration.ofMinutes(5)) + " reason=x");

    shared.sink.set("other", Switch.rollout(10));
    assertThat(features.feature("other").state().source()).isEqualTo("shared");
    assertThat(shared.written).as("what the source delivered is not offered back to it").hasSize(1);
  }

  @Test
  void aSourceThatCannotTakeAChangeLeavesItLocalAndIsCounted() {
    Shared shared = new Shared();
    features.addSource(shared);
    shared.failWrites = true;

    features.set("feed", Switch.off("x"));

    assertThat(features.feature("feed").isEnabled()).isFalse();
    assertThat(
            runtime
                .registry
                .get("brownout.switch.source.errors")
                .tag("source", "shared")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void aDeliveryWithABadNameIsRefusedAsAWhole() {
    Shared shared = new Shared();
    features.addSource(shared);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> shared.sink.replaceAll(Map.of("good", Switch.off("x"), "Bad Name", Switch.on())))
        .hasMessageContaining("'Bad Name'");
    assertThat(features.snapshot()).doesNotContainKey("good");
  }

  @Test
  void changesFromASharedStoreAreRecordedWithTheirOriginAndNotOfferedBack() {
    Shared shared = new Shared();
    features.addSource(shared);

    shared.sink.setAll(
        Map.of("feed", Switch.off("store down"), "search", Switch.rollout(50)),
        Map.of("feed", "shared:host-a"));

    assertThat(features.feature("feed").state().source()).isEqualTo("shared:host-a");
    assertThat(features.feature("search").state().source()).isEqualTo("shared");
    assertThat(features.feature("boot").isEnabled())
        .as("features not named keep their switch")
        .isFalse();
    assertThat(features.history())
        .filteredOn(c -> c.feature().equals("feed"))
        .extracting(SwitchChange::source)
        .endsWith("shared:host-a");
    assertThat(shared.written).isEmpty();
    assertThat(
            runtime
                .registry
                .get("brownout.feature.changes")
                .tag("source", "shared")
                .functionCounter()
                .count())
        .as("counted under the source, whatever the origin")
        .isEqualTo(3.0);
    assertThat(
            runtime
                .registry
                .find("brownout.feature.changes")
                .tag("source", "shared:host-a")
                .functionCounter())
        .isNull();
  }

  @Test
  void aChangeEqualToTheCurrentSwitchIsNotRecordedAgain() {
    Shared shared = new Shared();
    features.addSource(shared);
    features.set("feed", Switch.off("x").by("alice"));
    int before = features.history().size();

    shared.sink.setAll(
        Map.of("feed", Switch.off("x").by("alice")), Map.of("feed", "shared:host-b"));

    assertThat(features.history()).hasSize(before);
    assertThat(features.feature("feed").state().source()).isEqualTo("api");
  }

  @Test
  void anOffWhoseExpiryHasPassedEndsOnArrivalAndRevivesNothing() {
    Shared shared = new Shared();
    features.addSource(shared);
    Switch expiring = Switch.off("x").until(features.now().plus(Duration.ofMinutes(1)));
    features.set("feed", expiring);
    runtime.advance(Duration.ofMinutes(2));
    assertThat(features.feature("feed").isEnabled()).isTrue();
    int before = features.history().size();

    shared.sink.setAll(Map.of("feed", expiring, "late", expiring), Map.of());

    assertThat(features.history()).as("the expiry is not repeated").hasSize(before);
    assertThat(features.feature("feed").isEnabled()).isTrue();
    assertThat(features.feature("late").isEnabled()).isTrue();
    assertThat(features.feature("late").state().setting()).isEqualTo(Switch.on());
    assertThat(features.feature("late").state().source()).isEqualTo("default");
  }
}
