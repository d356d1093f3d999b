package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectTableTest {

  private final Slots slots = new Slots();

  @Test
  void aChildAdmitsNoMoreThanItsParent() {
    FeatureSlot feed = slots.add("feed", Priority.P2);
    slots.add("feed.avatars", Priority.P2);
    Slots.set(feed, Switch.rollout(25));

    EffectTable table = EffectTable.of(slots.all, 0, EffectTable.EMPTY);

    assertThat(table.state(1).effective()).isEqualTo("ROLLOUT 25%");
    assertThat(table.state(1).cause())
        .isEqualTo("parent feed is ROLLOUT 25%: rolled out to ROLLOUT 25%");
    assertThat(table.threshold(1)).isEqualTo(table.threshold(0)).isEqualTo(Feature.FULL / 4);
  }

  @Test
  void theLevelShedsByPriorityAndNeverP0() {
    slots.add("answers", Priority.P0);
    slots.add("avatars", Priority.P4);
    slots.add("comments", Priority.P1);

    EffectTable table = EffectTable.of(slots.all, Priority.MAX_LEVEL, EffectTable.EMPTY);

    assertThat(table.threshold(0)).isEqualTo(Feature.FULL);
    assertThat(table.threshold(1)).isZero();
    assertThat(table.state(2).cause()).isEqualTo("brownout level 4 sheds P1");
    assertThat(EffectTable.of(slots.all, 1, EffectTable.EMPTY).threshold(2))
        .isEqualTo(Feature.FULL);
  }

  @Test
  void anAutoFeatureIsOffWhileATriggerFires() {
    FeatureSlot slot = slots.add("recommendations", Priority.P3);
    Trigger trigger = Trigger.above("queue depth", () -> 0, 10, 5);
    slot.triggers = new TriggerStates(List.of(trigger));
    Slots.set(slot, Switch.auto());
    assertThat(EffectTable.of(slots.all, 0, EffectTable.EMPTY).threshold(0))
        .isEqualTo(Feature.FULL);

    slot.triggers.update(Map.of(trigger, 12.0), 0L);

    EffectTable table = EffectTable.of(slots.all, 0, EffectTable.EMPTY);
    assertThat(table.threshold(0)).isZero();
    assertThat(table.cause(0)).isEqualTo("auto: queue depth");
  }

  @Test
  void aRejectionIsMadeOncePerCause() {
    FeatureSlot slot = slots.add("comments", Priority.P2);
    Slots.set(slot, Switch.off("store is down"));
    EffectTable first = EffectTable.of(slots.all, 0, EffectTable.EMPTY);

    EffectTable same = EffectTable.of(slots.all, 0, first);
    Slots.set(slot, Switch.off("store is slow"));
    EffectTable other = EffectTable.of(slots.all, 0, same);

    assertThat(same.rejection(0)).isSameAs(first.rejection(0));
    assertThat(other.rejection(0))
        .isNotSameAs(first.rejection(0))
        .hasMessageContaining("store is slow");
  }

  @Test
  void anEffectIsDescribedAsTheAuditShowsIt() {
    assertThat(EffectTable.describe(Feature.FULL)).isEqualTo("ON");
    assertThat(EffectTable.describe(0L)).isEqualTo("OFF");
    assertThat(EffectTable.describe(Math.round(0.025 * Feature.FULL))).isEqualTo("ROLLOUT 2.5%");
  }
}
