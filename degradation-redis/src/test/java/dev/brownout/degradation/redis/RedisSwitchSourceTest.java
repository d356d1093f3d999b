package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisSwitchSourceTest {

  @RegisterExtension static final RedisFleet fleet = new RedisFleet();

  private static Instance instance(String id) {
    return fleet.instance(id);
  }

  private static Instance instance(String keyPrefix, String id) {
    return fleet.instance(keyPrefix, id);
  }

  private static RedisCommands<String, String> redis() {
    return fleet.redis();
  }

  @Test
  void aSwitchSetOnOneInstanceReachesEveryOtherWithTheWriterInTheAudit() {
    Instance a = instance("a");
    Instance b = instance("b");
    Instance c = instance("c");

    Switch off =
        a.features.set("feed.recommendations", Switch.off("store is down").by("alice")).setting();
    c.features.set("search", Switch.rollout(25));

    await()
        .untilAsserted(
            () -> {
              for (Instance each : List.of(a, b, c)) {
                assertThat(each.setting("feed.recommendations")).isEqualTo(off);
                assertThat(each.setting("search")).isEqualTo(Switch.rollout(25));
              }
            });
    assertThat(b.features.feature("feed.recommendations").isEnabled()).isFalse();
    assertThat(b.settingSource("feed.recommendations")).isEqualTo("redis:a");
    assertThat(b.settingSource("search")).isEqualTo("redis:c");
    assertThat(a.settingSource("feed.recommendations"))
        .as("the writer records its own API")
        .isEqualTo("api");
    assertThat(b.features.history())
        .filteredOn(change -> change.feature().equals("feed.recommendations"))
        .extracting(SwitchChange::source)
        .endsWith("redis:a");
    assertThat(a.features.history())
        .as("the writer hears its own change back without recording it twice")
        .filteredOn(
            change ->
                change.feature().equals("feed.recommendations")
                    && change.source().startsWith("redis"))
        .isEmpty();
  }

  @Test
  void anInstanceThatStartsLaterBeginsWithTheFleetsSwitches() {
    Instance a = instance("a");
    a.features.set("feed", Switch.off("maintenance"));
    a.features.set("feed.avatars", Switch.rollout(10));
    a.features.set("feed", Switch.on());

    Instance late = instance("late");

    assertThat(late.setting("feed"))
        .as("start() delivers the state before it returns")
        .isEqualTo(Switch.on());
    assertThat(late.setting("feed.avatars")).isEqualTo(Switch.rollout(10));
    assertThat(late.settingSource("feed.avatars")).isEqualTo("redis:a");
    assertThat(redis().hget(fleet.prefix() + "brownout:switches", "feed.avatars"))
        .endsWith(" a ROLLOUT 10%");
  }

  @Test
  void aMalformedValueIsRejectedForThatFeatureAndTheOthersStillApply() {
    String hash = fleet.prefix() + "brownout:switches";
    redis().hset(hash, "good", "3 ops OFF reason=fine");
    redis().hset(hash, "bad-switch", "4 ops MAYBE");
    redis().hset(hash, "bad-version", "x ops OFF");
    redis().hset(hash, "Bad Name", "5 ops OFF");

    Instance a = instance("a");

    assertThat(a.setting("good")).isEqualTo(Switch.off("fine"));
    assertThat(a.settingSource("good")).isEqualTo("redis:ops");
    assertThat(a.features.snapshot()).doesNotContainKeys("bad-switch", "bad-version");
    assertThat(a.errors()).as("one error for each rejected feature").isEqualTo(3.0);

    redis().publish(fleet.prefix() + "brownout:changes", "good not-a-version ops ON");
    redis().publish(fleet.prefix() + "brownout:changes", "good 9 ops ROLLOUT 5%");
    await().untilAsserted(() -> assertThat(a.setting("good")).isEqualTo(Switch.rollout(5)));
    assertThat(a.errors()).isEqualTo(4.0);
  }

  @Test
  void instancesUnderDifferentPrefixesDoNotSeeEachOther() {
    Instance checkout = instance("checkout:" + fleet.prefix(), "a");
    Instance search = instance("search:" + fleet.prefix(), "b");
    Instance otherCheckout = instance("checkout:" + fleet.prefix(), "c");

    checkout.features.set("feed", Switch.off("checkout only"));
    search.features.set("feed", Switch.rollout(50));

    await()
        .untilAsserted(
            () -> assertThat(otherCheckout.setting("feed")).isEqualTo(Switch.off("checkout only")));
    assertThat(search.setting("feed")).isEqualTo(Switch.rollout(50));
    assertThat(redis().hget("search:" + fleet.prefix() + "brownout:switches", "feed"))
        .endsWith("ROLLOUT 50%");
    assertThat(redis().hget("checkout:" + fleet.prefix() + "brownout:switches", "feed"))
        .endsWith("OFF reason=checkout only");
  }

  @Test
  void anExpiringOffEndsOnEveryInstanceAtTheSameInstant() {
    Instance a = instance("a");
    Instance b = instance("b");

    Switch lasting =
        a.features.set("feed", Switch.off("deploy").lasting(Duration.ofMinutes(5))).setting();
    Instant until = lasting.until();
    Switch untilNoon = Switch.off("sale").until(Instant.now().plus(20, ChronoUnit.MINUTES));
    b.features.set("search", untilNoon);

    await()
        .untilAsserted(
            () -> {
              assertThat(b.setting("feed")).isEqualTo(lasting);
              assertThat(a.setting("search")).isEqualTo(untilNoon);
            });
    assertThat(b.features.feature("feed").state().expiresAt()).isEqualTo(until);

    for (Instance each : List.of(a, b)) {
      each.advance(Duration.ofMinutes(6));
      assertThat(each.features.feature("feed").isEnabled()).isTrue();
      assertThat(each.features.feature("search").isEnabled()).isFalse();
      assertThat(each.features.history())
          .filteredOn(c -> c.feature().equals("feed"))
          .extracting(SwitchChange::source)
          .endsWith("expiry");
    }
    for (Instance each : List.of(a, b)) {
      each.advance(Duration.ofMinutes(15));
      assertThat(each.features.feature("search").isEnabled()).isTrue();
    }

    Instance late = instance("late");
    late.advance(Duration.ofMinutes(21));
    assertThat(late.features.feature("feed").isEnabled())
        .as("an instance that starts after the expiry")
        .isTrue();
    assertThat(late.features.feature("search").isEnabled()).isTrue();
  }

  @Test
  void aChangeOlderThanTheOneInForceIsIgnored() {
    Instance a = instance("a");
    Instance b = instance("b");
    a.features.set("feed", Switch.off("newer"));
    await().untilAsserted(() -> assertThat(b.setting("feed")).isEqualTo(Switch.off("newer")));

    redis().publish(fleet.prefix() + "brownout:changes", "feed 1 ops ON reason=older");
    redis().publish(fleet.prefix() + "brownout:changes", "marker 1000 ops OFF reason=after");

    await().untilAsserted(() -> assertThat(b.setting("marker")).isEqualTo(Switch.off("after")));
    assertThat(b.setting("feed")).isEqualTo(Switch.off("newer"));
  }

  @Test
  void aBadSettingFailsWhenTheSourceIsBuiltNamingIt() {
    assertThatThrownBy(
            () -> RedisSwitchSource.builder(fleet.server().uri()).instanceId("two words"))
        .hasMessageContaining("redisSwitchSource.instanceId")
        .hasMessageContaining("'two words'");
    assertThatThrownBy(() -> RedisSwitchSource.builder("http://nowhere"))
        .hasMessageContaining("redisSwitchSource.uri");
    assertThatThrownBy(
            () ->
                RedisSwitchSource.builder(fleet.server().uri())
                    .retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("redisSwitchSource.retry.max");
  }

  @Test
  void aWriteAfterTheHashWasDeletedStillReachesEveryInstance() throws Exception {
    Instance a = instance("a");
    Instance b = instance("b");
    for (int i = 1; i <= 5; i++) {
      a.features.set("feed", Switch.rollout(i));
    }
    await().untilAsserted(() -> assertThat(b.setting("feed")).isEqualTo(Switch.rollout(5)));
    long before =
        SwitchRecord.parse(redis().hget(fleet.prefix() + "brownout:switches", "feed")).version();

    redis().del(fleet.prefix() + "brownout:switches");
    a.features.set("feed", Switch.off("after the hash was deleted"));

    await()
        .untilAsserted(
            () ->
                assertThat(b.setting("feed")).isEqualTo(Switch.off("after the hash was deleted")));
    assertThat(
            SwitchRecord.parse(redis().hget(fleet.prefix() + "brownout:switches", "feed"))
                .version())
        .isGreaterThan(before);
  }

  @Test
  void versionsFollowRedisClockSoThatAWriteIsNewerThanAnyMadeBeforeIt() throws Exception {
    Instance a = instance("a");
    List<String> time = redis().time();
    long micros = Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));

    a.features.set("feed", Switch.off("first"));
    a.features.set("search", Switch.off("second"));

    long first = SwitchRecord.parse(redis().hget(fleet.hash(), "feed")).version();
    long second = SwitchRecord.parse(redis().hget(fleet.hash(), "search")).version();
    assertThat(first).isGreaterThanOrEqualTo(micros);
    assertThat(second).isGreaterThan(first);
    assertThat(redis().hget(fleet.hash(), "#version")).isEqualTo(String.valueOf(second));
  }

  @Test
  void aFieldDeletedByHandIsNotAChangeAndIsPutBackWhenTheInstancesReconnect() {
    Instance a = instance("a");
    a.features.set("feed", Switch.off("kept"));
    String record = redis().hget(fleet.hash(), "feed");
    long attempts = a.source.attempts();

    redis().hdel(fleet.hash(), "feed");
    redis().clientKill(KillArgs.Builder.typeNormal());
    redis().clientKill(KillArgs.Builder.typePubsub());

    await().untilAsserted(() -> assertThat(a.source.attempts()).isGreaterThan(attempts));
    await().untilAsserted(() -> assertThat(a.connected()).isTrue());
    assertThat(redis().hget(fleet.hash(), "feed")).isEqualTo(record);
    assertThat(a.setting("feed")).isEqualTo(Switch.off("kept"));
    assertThat(instance("late").setting("feed")).isEqualTo(Switch.off("kept"));
  }
}
