package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SwitchListenerTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;
  private final List<List<SwitchChange>> told = new ArrayList<>();
  private final List<String> seenStates = new ArrayList<>();

  @AfterEach
  void close() {
    runtime.close();
  }

  private void listen() {
    features.addListener(
        changes -> {
          told.add(changes);
          for (SwitchChange change : changes) {
            Feature feature = features.find(change.feature());
            if (feature != null) {
              seenStates.add(feature.state().effective());
            }
          }
        });
  }

  @Test
  void aSwitchIsToldOnceAfterItIsPublished() {
    features.feature("feed.avatars");
    listen();

    features.set("feed.avatars", Switch.off("store down"));

    assertThat(told).hasSize(1);
    assertThat(told.get(0))
        .extracting(SwitchChange::feature, SwitchChange::from, SwitchChange::to)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("feed.avatars", "ON", "OFF"));
    assertThat(seenStates).as("the state read from the listener").containsExactly("OFF");
  }

  @Test
  void aChangeOfSeveralFeaturesIsToldAsOne() {
    features.feature("feed.avatars");
    features.feature("feed.comments");
    listen();

    features.set("feed", Switch.off("maintenance"));

    assertThat(told).hasSize(1);
    assertThat(told.get(0))
        .extracting(SwitchChange::feature)
        .containsExactly("feed", "feed.avatars", "feed.comments");
  }

  @Test
  void aLevelChangeIsToldWithTheFeaturesItSheds() {
    features.define("feed.avatars").priority(Priority.P4).register();
    features.define("checkout").priority(Priority.P0).register();
    listen();

    features.setLevel(1, "peak");

    assertThat(told).hasSize(1);
    assertThat(told.get(0))
        .extracting(SwitchChange::feature)
        .containsExactly(Features.LEVEL, "feed.avatars");
  }

  @Test
  void aChangeThatChangesNothingIsNotTold() {
    features.feature("feed.avatars");
    features.set("feed.avatars", Switch.off("store down"));
    listen();

    features.setLevel(0, "already 0");

    assertThat(told).isEmpty();
  }

  @Test
  void aThrowingListenerNeitherUndoesTheChangeNorSilencesTheOthers() {
    Feature avatars = features.feature("feed.avatars");
    features.addListener(
        changes -> {
          throw new IllegalStateException("listener bug");
        });
    listen();

    features.set("feed.avatars", Switch.off("store down"));

    assertThat(avatars.isEnabled()).isFalse();
    assertThat(told).hasSize(1);
  }

  @Test
  void aRemovedListenerHearsNothingMore() {
    features.feature("feed.avatars");
    SwitchListener listener = told::add;
    features.addListener(listener);
    features.set("feed.avatars", Switch.off("store down"));

    features.removeListener(listener);
    features.set("feed.avatars", Switch.on());

    assertThat(told).hasSize(1);
  }

  @Test
  void findNeverCreatesAFeature() {
    assertThat(features.find("feed.avatars")).isNull();
    assertThat(features.all()).isEmpty();

    Feature avatars = features.feature("feed.avatars");

    assertThat(features.find("feed.avatars")).isSameAs(avatars);
    assertThat(features.find("feed")).as("created as a parent").isNotNull();
    assertThat(features.find("Not A Name")).isNull();
  }
}
