package dev.brownout.degradation.redis.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.Instance;
import dev.brownout.degradation.redis.RedisFleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, finding 3: Redis restarted from an older snapshot, whose hash carries the same epoch,
 * kept the old switches for good: the running instances skipped them as older than what they had
 * applied, so they kept the newer ones, while an instance that started later took the old ones. Now
 * each instance puts back what it knows is newer when it reconnects, and a write made on the
 * restored Redis is newer than anything the snapshot lost.
 */
class OlderSnapshotTest {

  @RegisterExtension static final RedisFleet fleet = new RedisFleet();

  private static void killAndAwaitNoticing(List<Instance> instances) {
    fleet.server().kill();
    await().untilAsserted(() -> assertThat(instances).noneMatch(Instance::connected));
  }

  private static void startFromAndAwaitReconnecting(Path snapshot, List<Instance> instances) {
    fleet.server().startFrom(snapshot);
    await().untilAsserted(() -> assertThat(instances).allMatch(Instance::connected));
  }

  @Test
  void theRunningInstancesPutBackWhatTheSnapshotLostForTheInstancesThatStartAfterIt() {
    Instance a = fleet.instance("a");
    Instance b = fleet.instance("b");
    a.features.set("feed", Switch.off("before the snapshot"));
    Path snapshot = fleet.server().snapshot();
    a.features.set("feed", Switch.off("after the snapshot"));
    b.features.set("search", Switch.rollout(30));
    await()
        .untilAsserted(
            () -> {
              assertThat(b.setting("feed")).isEqualTo(Switch.off("after the snapshot"));
              assertThat(a.setting("search")).isEqualTo(Switch.rollout(30));
            });

    killAndAwaitNoticing(List.of(a, b));
    startFromAndAwaitReconnecting(snapshot, List.of(a, b));

    Instance late = fleet.instance("late");
    for (Instance each : List.of(a, b, late)) {
      assertThat(each.setting("feed")).as(each.id).isEqualTo(Switch.off("after the snapshot"));
      assertThat(each.setting("search")).as(each.id).isEqualTo(Switch.rollout(30));
    }
    assertThat(late.settingSource("feed")).as("the record keeps its writer").isEqualTo("redis:a");
    assertThat(fleet.redis().hget(fleet.hash(), "search")).endsWith(" b ROLLOUT 30%");
  }

  @Test
  void aChangeMadeWhileRedisWasDownWinsOverTheSnapshotAndWhatTheOtherInstancesKnow() {
    Instance a = fleet.instance("a");
    Instance b = fleet.instance("b");
    a.features.set("feed", Switch.off("in the snapshot"));
    Path snapshot = fleet.server().snapshot();
    b.features.set("feed", Switch.off("after the snapshot"));
    await()
        .untilAsserted(
            () -> assertThat(a.setting("feed")).isEqualTo(Switch.off("after the snapshot")));

    killAndAwaitNoticing(List.of(a, b));
    a.features.set("feed", Switch.rollout(70));
    startFromAndAwaitReconnecting(snapshot, List.of(a, b));

    Instance late = fleet.instance("late");
    await()
        .untilAsserted(
            () -> {
              for (Instance each : List.of(a, b, late)) {
                assertThat(each.setting("feed")).as(each.id).isEqualTo(Switch.rollout(70));
              }
            });
    assertThat(fleet.redis().hget(fleet.hash(), "feed")).endsWith(" a ROLLOUT 70%");
  }

  @Test
  void aWriteMadeOnTheRestoredRedisBeforeAnInstanceThatKnewMoreReconnectsIsKept() {
    // Reconnects 2.5 to 5 s after it notices the loss: long after the write below.
    Instance slow = fleet.instance("slow", Duration.ofSeconds(5));
    slow.features.set("feed", Switch.off("lost with the snapshot"));
    Path snapshot = fleet.server().snapshot();
    slow.features.set("feed", Switch.off("newer, known to slow alone"));

    killAndAwaitNoticing(List.of(slow));
    fleet.server().startFrom(snapshot);
    Instance fresh = fleet.instance("fresh");
    assertThat(fresh.setting("feed")).isEqualTo(Switch.off("lost with the snapshot"));
    fresh.features.set("feed", Switch.rollout(5));
    assertThat(slow.connected()).as("the write came first").isFalse();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(slow.connected()).isTrue());
    await()
        .untilAsserted(
            () -> {
              for (Instance each : List.of(slow, fresh, fleet.instance("late"))) {
                assertThat(each.setting("feed")).as(each.id).isEqualTo(Switch.rollout(5));
              }
            });
  }
}
