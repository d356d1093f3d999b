package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis killed and started again (empty, as it keeps nothing) in the middle of a test. */
class RedisOutageTest {

  private RedisServer server;
  private final String prefix = "outage-" + UUID.randomUUID() + ":";
  private final List<Instance> instances = new ArrayList<>();

  @BeforeEach
  void startRedis() {
    server = RedisServer.startOrSkip();
  }

  @AfterEach
  void stop() {
    instances.forEach(Instance::close);
    if (server != null) {
      server.close();
    }
  }

  private Instance instance(String id) {
    Instance instance = new Instance(server, prefix, id);
    instances.add(instance);
    return instance;
  }

  private void killAndAwaitEveryInstanceNoticing() {
    server.kill();
    await().untilAsserted(() -> assertThat(instances).noneMatch(each -> each.source.connected()));
  }

  @Test
  void aRestartLosesNoChangeMadeAfterRedisIsBackAndTheInstancesConverge() {
    Instance a = instance("a");
    Instance b = instance("b");
    Switch before = a.features.set("feed", Switch.off("before the restart")).setting();
    await().untilAsserted(() -> assertThat(b.setting("feed")).isEqualTo(before));

    killAndAwaitEveryInstanceNoticing();
    server.restart();
    // Made at once, whether or not this instance has reconnected yet.
    b.features.set("search", Switch.rollout(30));
    await().untilAsserted(() -> assertThat(a.source.connected()).isTrue());
    a.features.set("feed.avatars", Switch.off("after the restart"));
    b.features.set("feed", Switch.off("changed after the restart"));

    await()
        .untilAsserted(
            () -> {
              for (Instance each : List.of(a, b)) {
                assertThat(each.setting("search")).isEqualTo(Switch.rollout(30));
                assertThat(each.setting("feed.avatars")).isEqualTo(Switch.off("after the restart"));
                assertThat(each.setting("feed")).isEqualTo(Switch.off("changed after the restart"));
              }
            });
    Instance late = instance("late");
    assertThat(late.setting("search")).isEqualTo(Switch.rollout(30));
    assertThat(late.setting("feed.avatars")).isEqualTo(Switch.off("after the restart"));
    assertThat(late.setting("feed")).isEqualTo(Switch.off("changed after the restart"));
  }

  @Test
  void switchesSetBeforeARestartArePutBackForInstancesThatStartAfterIt() {
    Instance a = instance("a");
    Switch off = a.features.set("feed", Switch.off("set before the restart")).setting();

    killAndAwaitEveryInstanceNoticing();
    server.restart();
    await().untilAsserted(() -> assertThat(a.source.connected()).isTrue());

    Instance late = instance("late");
    assertThat(late.setting("feed")).isEqualTo(off);
    assertThat(late.settingSource("feed")).as("the record keeps its writer").isEqualTo("redis:a");
  }

  @Test
  void aSwitchSetWhileRedisIsDownIsInForceHereAtOnceAndPublishedWhenRedisIsBack() {
    Instance a = instance("a");
    Instance b = instance("b");
    killAndAwaitEveryInstanceNoticing();

    a.features.set("feed", Switch.off("set during the outage").by("alice"));

    assertThat(a.features.feature("feed").isEnabled()).isFalse();
    assertThat(a.source.pending()).containsOnlyKeys("feed");
    assertThat(b.features.feature("feed").isEnabled()).isTrue();

    server.restart();
    await()
        .untilAsserted(
            () ->
                assertThat(b.setting("feed"))
                    .isEqualTo(Switch.off("set during the outage").by("alice")));
    assertThat(b.settingSource("feed")).isEqualTo("redis:a");
    assertThat(a.source.pending()).isEmpty();
  }

  @Test
  void anOutageIsCountedOnceWhileTheSourceRetriesAndEachNewOutageAgain() {
    Instance a = instance("a");
    a.features.set("feed", Switch.off("kept through the outage"));
    long attempts = a.source.attempts();

    killAndAwaitEveryInstanceNoticing();
    await()
        .untilAsserted(() -> assertThat(a.source.attempts()).isGreaterThanOrEqualTo(attempts + 3));

    assertThat(a.errors()).isEqualTo(1.0);
    assertThat(a.features.feature("feed").isEnabled()).as("the last known state stays").isFalse();

    server.restart();
    await().untilAsserted(() -> assertThat(a.source.connected()).isTrue());
    assertThat(a.errors()).isEqualTo(1.0);

    killAndAwaitEveryInstanceNoticing();
    assertThat(a.errors()).isEqualTo(2.0);
  }

  @Test
  void anInstanceStartedWhileRedisIsDownRunsOnItsOwnSwitchesAndResyncsWhenRedisComes() {
    Instance a = instance("a");
    Switch off = a.features.set("feed", Switch.off("set before the outage")).setting();
    killAndAwaitEveryInstanceNoticing();

    Instance late = instance("late");

    assertThat(late.source.connected()).isFalse();
    assertThat(late.errors()).isEqualTo(1.0);
    assertThat(late.features.feature("feed").isEnabled()).isTrue();

    server.restart();
    await().untilAsserted(() -> assertThat(late.setting("feed")).isEqualTo(off));
  }

  @Test
  void aSwitchWhoseWriteTimesOutWaitsLikeOneSetWhileRedisIsDown() {
    Instance a = instance("a");
    Instance b = instance("b");
    try (RedisClient direct = RedisClient.create(Instance.RESOURCES, server.uri());
        StatefulRedisConnection<String, String> connection = direct.connect()) {
      // Redis is up but holds every command for 3 s: the write's 1 s timeout passes first.
      connection.sync().clientPause(3000);

      a.features.set("feed", Switch.off("written while Redis stalls"));

      assertThat(a.features.feature("feed").isEnabled()).isFalse();
      assertThat(a.source.pending()).containsOnlyKeys("feed");
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(b.setting("feed"))
                      .isEqualTo(Switch.off("written while Redis stalls")));
      await().untilAsserted(() -> assertThat(a.source.pending()).isEmpty());
    }
  }
}
