package dev.brownout.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ManualSwitchSourceTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout =
      Brownout.builder()
          .meterRegistry(registry)
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  private final Features features = Features.of(brownout);
  private final ManualSwitchSource ops = new ManualSwitchSource("ops");

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void whatItHoldsBeforeStartIsItsStateAtStart() {
    ops.set("feed", Switch.off("held before start"));

    features.addSource(ops);

    assertThat(features.feature("feed").isEnabled()).isFalse();
    assertThat(features.feature("feed").state().source()).isEqualTo("ops");
  }

  @Test
  void aSwitchSetAtTheSourceIsInForceAtOnceAndItsRemovalFallsBack() {
    features.addSource(ops);

    ops.set("feed.recommendations", Switch.off("incident 42"));
    assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();

    ops.remove("feed.recommendations");
    assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();
  }

  @Test
  void replaceAllDropsWhatItNoLongerNames() {
    features.addSource(ops);
    ops.replaceAll(Map.of("a", Switch.off("x"), "b", Switch.off("x")));

    ops.replaceAll(Map.of("b", Switch.off("x")));

    assertThat(features.feature("a").isEnabled()).isTrue();
    assertThat(features.feature("b").isEnabled()).isFalse();
  }

  @Test
  void changesMadeInCodeAreOfferedAndARefusedWriteIsCounted() {
    features.addSource(ops);

    features.set("feed", Switch.off("by hand"));
    ops.refuseWrites(true);
    features.set("search", Switch.off("by hand"));

    assertThat(ops.offered())
        .extracting(offer -> offer.feature() + " " + offer.setting())
        .containsExactly("feed OFF reason=by hand");
    assertThat(features.feature("search").isEnabled()).as("a refused write stays local").isFalse();
    assertThat(sourceErrors()).isEqualTo(1.0);
  }

  @Test
  void aFailureKeepsTheLastGoodStateAndIsCounted() {
    features.addSource(ops);
    ops.set("feed", Switch.off("x"));

    ops.fail("store unreachable", null);

    assertThat(features.feature("feed").isEnabled()).isFalse();
    assertThat(sourceErrors()).isEqualTo(1.0);
  }

  @Test
  void failingBeforeStartIsAMistakeNamedAsSuch() {
    assertThatThrownBy(() -> ops.fail("x", null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'ops'")
        .hasMessageContaining("add it to Features first");
  }

  private double sourceErrors() {
    return registry
        .get("brownout.switch.source.errors")
        .tag("source", "ops")
        .functionCounter()
        .count();
  }
}
