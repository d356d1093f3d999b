package dev.brownout.degradation.redis.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.Instance;
import dev.brownout.degradation.redis.RedisFleet;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, finding 2: one record with a version of 10^14 or more made every later write be stored
 * as {@code 1e+14 …} (the write script formatted and added versions as Lua floating-point numbers),
 * which every reader rejected while the writers believed they had succeeded; a record at {@code
 * Long.MAX_VALUE} made every instance unreachable for good. Versions are now whole numbers up to
 * 2^53 − 1, checked on read and computed exactly by the script, and a write that cannot be stored
 * is an error its writer sees and counts.
 */
class HugeRecordVersionTest {

  @RegisterExtension static final RedisFleet fleet = new RedisFleet();

  private static Instance instance(String id) {
    return fleet.instance(id);
  }

  private static RedisCommands<String, String> redis() {
    return fleet.redis();
  }

  @Test
  void writesAfterARecordAtTenToTheFourteenAreStoredAsWholeNumbersAndReachEveryInstance() {
    redis().hset(fleet.hash(), "feed", "100000000000000 ops OFF reason=set by hand");
    Instance a = instance("a");
    Instance b = instance("b");
    assertThat(b.setting("feed")).isEqualTo(Switch.off("set by hand"));

    a.features.set("feed", Switch.rollout(40));
    a.features.set("search", Switch.off("after the big version"));

    assertThat(redis().hget(fleet.hash(), "feed")).matches("[1-9][0-9]* a ROLLOUT 40%");
    assertThat(Long.parseLong(redis().hget(fleet.hash(), "feed").split(" ", 2)[0]))
        .isGreaterThan(100_000_000_000_000L);
    assertThat(redis().hget(fleet.hash(), "search"))
        .matches("[1-9][0-9]* a OFF reason=after the big version");
    await()
        .untilAsserted(
            () -> {
              assertThat(b.setting("feed")).isEqualTo(Switch.rollout(40));
              assertThat(b.setting("search")).isEqualTo(Switch.off("after the big version"));
            });
    assertThat(instance("late").setting("feed")).isEqualTo(Switch.rollout(40));
    assertThat(a.errors() + b.errors()).isZero();
  }

  @Test
  void aRecordBeyondTheLargestVersionIsRejectedNamingItsFeatureAndTheFleetGoesOn() {
    redis().hset(fleet.hash(), "feed", Long.MAX_VALUE + " ops OFF reason=poison");
    redis()
        .hset(fleet.hash(), "feed.avatars", "9007199254740992 ops OFF reason=one past the largest");
    redis().hset(fleet.hash(), "search", "7 ops ROLLOUT 20%");
    Instance a = instance("a");
    Instance b = instance("b");

    assertThat(a.setting("search")).as("the other records apply").isEqualTo(Switch.rollout(20));
    assertThat(a.features.snapshot()).doesNotContainKeys("feed", "feed.avatars");
    assertThat(a.errors()).as("one error for each rejected record").isEqualTo(2.0);

    a.features.set("search", Switch.off("written after the poison"));
    a.features.set("feed", Switch.off("replaces the poison"));

    assertThat(a.connected()).isTrue();
    await()
        .untilAsserted(
            () -> {
              assertThat(b.setting("search")).isEqualTo(Switch.off("written after the poison"));
              assertThat(b.setting("feed")).isEqualTo(Switch.off("replaces the poison"));
            });
    assertThat(redis().hget(fleet.hash(), "feed"))
        .matches("[1-9][0-9]* a OFF reason=replaces the poison");
    assertThat(a.errors()).isEqualTo(2.0);
  }

  @Test
  void aPoisonedRecordIsReportedOnOneLineNamingItsKey() {
    redis().hset(fleet.hash(), "feed\r\nFORGED key", "99999999999999999999 x OFF\nFORGED value");
    redis().hset(fleet.hash(), "search", "7 ops ROLLOUT 20%");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    Instance a;
    try {
      a = instance("a");
    } finally {
      System.setErr(err);
    }

    assertThat(a.setting("search")).isEqualTo(Switch.rollout(20));
    assertThat(a.errors()).isEqualTo(1.0);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("feature feed\\r\\nFORGED key has a malformed switch");
    assertThat(log.lines()).noneMatch(line -> line.startsWith("FORGED"));
  }

  @Test
  void aChangeAnnouncedWithAVersionBeyondTheLargestIsIgnoredAndLaterWritesStillApply() {
    Instance a = instance("a");
    Instance b = instance("b");

    redis()
        .publish(
            fleet.prefix() + "brownout:changes", "feed " + Long.MAX_VALUE + " x OFF reason=poison");
    await().untilAsserted(() -> assertThat(b.errors()).isEqualTo(1.0));
    a.features.set("feed", Switch.rollout(60));

    await().untilAsserted(() -> assertThat(b.setting("feed")).isEqualTo(Switch.rollout(60)));
  }

  @Test
  void aCounterLeftUnreadableIsReplacedAndReported() {
    // What the old script left behind after a record at 10^14.
    redis().hset(fleet.hash(), "#version", "1e+14");
    redis().hset(fleet.hash(), "feed", "1e+14 x OFF reason=stored by the old script");
    Instance a = instance("a");
    assertThat(a.errors()).as("the unreadable record").isEqualTo(1.0);

    a.features.set("feed", Switch.off("readable again"));

    assertThat(redis().hget(fleet.hash(), "#version")).matches("[1-9][0-9]*");
    assertThat(redis().hget(fleet.hash(), "feed"))
        .matches(redis().hget(fleet.hash(), "#version") + " a OFF reason=readable again");
    assertThat(a.errors()).as("and the counter it replaced").isEqualTo(2.0);
    assertThat(instance("late").setting("feed")).isEqualTo(Switch.off("readable again"));
  }

  @Test
  void aWriteWithNoVersionLeftFailsVisiblyAndIsCountedInsteadOfWrapping() {
    redis().hset(fleet.hash(), "feed", "9007199254740991 ops OFF reason=at the largest version");
    Instance a = instance("a");
    assertThat(a.setting("feed")).isEqualTo(Switch.off("at the largest version"));

    a.features.set("feed", Switch.on());

    assertThat(a.errors()).as("the write that could not be stored").isEqualTo(1.0);
    assertThat(a.connected()).as("refused, not an outage").isTrue();
    assertThat(a.pending()).as("not retried forever").isEmpty();
    assertThat(redis().hget(fleet.hash(), "feed"))
        .isEqualTo("9007199254740991 ops OFF reason=at the largest version");
    assertThat(redis().hget(fleet.hash(), "#version")).isNull();
  }

  @Test
  void aWaitingChangeWithNoVersionLeftIsReportedOnceAndDoesNotKeepTheSourceDown() {
    redis().hset(fleet.hash(), "feed", "9007199254740991 ops OFF reason=at the largest version");
    Instance a = instance("a");
    Path snapshot = fleet.server().snapshot();
    fleet.server().kill();
    await().untilAsserted(() -> assertThat(a.connected()).isFalse());
    a.features.set("feed", Switch.on());
    a.features.set("search", Switch.rollout(15));
    assertThat(a.pending()).containsOnlyKeys("feed", "search");

    fleet.server().startFrom(snapshot);

    await().untilAsserted(() -> assertThat(a.connected()).isTrue());
    assertThat(a.pending()).isEmpty();
    assertThat(a.errors()).as("the outage and the refused write").isEqualTo(2.0);
    assertThat(redis().hget(fleet.hash(), "search")).endsWith(" a ROLLOUT 15%");
    assertThat(redis().hget(fleet.hash(), "feed"))
        .isEqualTo("9007199254740991 ops OFF reason=at the largest version");
  }

  @Test
  void aFeatureWithNoVersionLeftDoesNotStopTheOthers() {
    redis().hset(fleet.hash(), "feed", "9007199254740991 ops OFF reason=at the largest version");
    Instance a = instance("a");
    Instance b = instance("b");

    a.features.set("feed", Switch.on());
    a.features.set("search", Switch.off("another feature"));
    b.features.set("feed.avatars", Switch.rollout(10));

    assertThat(a.errors() + b.errors()).as("only the write of feed").isEqualTo(1.0);
    await()
        .untilAsserted(
            () -> {
              assertThat(b.setting("search")).isEqualTo(Switch.off("another feature"));
              assertThat(a.setting("feed.avatars")).isEqualTo(Switch.rollout(10));
            });
    a.features.set("search", Switch.off("and again"));
    await().untilAsserted(() -> assertThat(b.setting("search")).isEqualTo(Switch.off("and again")));
    assertThat(a.errors() + b.errors()).isEqualTo(1.0);
  }
}
