package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AuditHistoryTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();
  private final AuditHistory audit = new AuditHistory(2, new FeatureMeters(brownout));
  private final Slots slots = new Slots();

  @AfterEach
  void close() {
    brownout.close();
  }

  private static SwitchChange change(String feature) {
    return new SwitchChange(Instant.EPOCH, feature, "ON", "OFF", Switch.off("x"), "x", "api");
  }

  @Test
  void keepsTheLatestEntriesUpToItsLimitAndCountsEachBySource() {
    audit.record(change("a"), ChangeSource.API);
    audit.record(change("b"), ChangeSource.api("admin"));
    audit.record(change("c"), ChangeSource.API);

    assertThat(audit.entries()).extracting(SwitchChange::feature).containsExactly("b", "c");
    assertThat(
            registry.get("brownout.feature.changes").tag("source", "api").functionCounter().count())
        .isEqualTo(2.0);
    assertThat(
            registry
                .get("brownout.feature.changes")
                .tag("source", "admin")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void recordsTheFeaturesWhoseEffectChangedOrWhoseSettingWasMade() {
    FeatureSlot feed = slots.add("feed", Priority.P2);
    FeatureSlot search = slots.add("search", Priority.P2);
    slots.add("avatars", Priority.P4);
    EffectTable before = EffectTable.of(slots.all, 0, EffectTable.EMPTY);
    SettingStack.Setting off = Slots.set(feed, Switch.off("store is down").by("alice"));
    SettingStack.Setting on = Slots.set(search, Switch.on());
    EffectTable after = EffectTable.of(slots.all, 1, before);

    AuditHistory audit = new AuditHistory(10, new FeatureMeters(brownout));
    audit.recordEffects(
        before,
        after,
        slots.all,
        Map.of(
            feed,
            AuditHistory.Made.of(feed, off, "admin", "expired"),
            search,
            AuditHistory.Made.of(search, on, "admin", "expired")),
        ChangeSource.api("admin"),
        1,
        Instant.EPOCH);

    assertThat(audit.entries())
        .extracting(
            SwitchChange::feature,
            SwitchChange::from,
            SwitchChange::to,
            SwitchChange::cause,
            SwitchChange::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "feed", "ON", "OFF", "switched off by alice: store is down", "admin"),
            org.assertj.core.groups.Tuple.tuple("search", "ON", "ON", "on", "admin"),
            org.assertj.core.groups.Tuple.tuple(
                "avatars", "ON", "OFF", "brownout level 1 sheds P4", "admin"));
  }

  @Test
  void aFeatureBackOnAfterTheLevelSaysSo() {
    slots.add("avatars", Priority.P4);
    EffectTable shed = EffectTable.of(slots.all, 1, EffectTable.EMPTY);

    audit.recordEffects(
        shed,
        EffectTable.of(slots.all, 0, shed),
        slots.all,
        Map.of(),
        ChangeSource.CONTROLLER,
        0,
        Instant.EPOCH);

    assertThat(audit.entries())
        .extracting(SwitchChange::cause, SwitchChange::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "brownout level 0 no longer sheds P4", "controller"));
  }

  @Test
  void aNewFeatureIsRecordedOnlyWhenItsSettingWasMade() {
    slots.add("feed", Priority.P2);

    audit.recordEffects(
        EffectTable.EMPTY,
        EffectTable.of(slots.all, 0, EffectTable.EMPTY),
        slots.all,
        Map.of(),
        ChangeSource.DEFINITION,
        0,
        Instant.EPOCH);

    assertThat(audit.entries()).isEmpty();
  }
}
