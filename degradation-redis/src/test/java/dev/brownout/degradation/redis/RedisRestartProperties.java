package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A fleet sharing one real redis-server that holds records of random versions to begin with (some
 * huge, some beyond the largest version, some unreadable) and is killed and started again, empty or
 * from a snapshot taken earlier, in the middle of random writes: whatever happens, every instance,
 * Redis, and an instance that starts afterwards end with the newest switch of each feature (the
 * last write made through the API, or the readable record it began with), and no write is lost.
 */
@AddLifecycleHook(FleetConvergenceProperties.SkipWithoutRedis.class)
class RedisRestartProperties {

  private static final int INSTANCES = 2;
  private static final List<String> FEATURES = List.of("feed", "feed.avatars", "search");

  private static DirectRedis redis;

  @BeforeContainer
  static void startRedis() {
    redis = DirectRedis.startUnlessSkipped();
  }

  @AfterContainer
  static void stopRedis() {
    DirectRedis.closeIfStarted(redis);
  }

  /**
   * A record in Redis before any instance starts, as a hand or another program may have left it.
   */
  record Seed(String feature, String version, Switch setting) {}

  /** One step of a try. */
  sealed interface Step permits Write, Snapshot, Restart {}

  /** A switch set through one instance's API. */
  record Write(int instance, String feature, Switch setting) implements Step {}

  /** Redis saves what it holds now. */
  record Snapshot() implements Step {}

  /**
   * Redis is killed and comes back from one of the snapshots taken so far ({@code snapshot} modulo
   * their number plus one; the one past the last means empty), with {@code meanwhile} set while it
   * was down.
   */
  record Restart(int snapshot, Write meanwhile) implements Step {}

  @Provide
  Arbitrary<List<Seed>> seeds() {
    Arbitrary<String> versions =
        Arbitraries.oneOf(
            Arbitraries.longs().between(1, 1_000).map(String::valueOf),
            Arbitraries.longs()
                .between(100_000_000_000_000L, 3_000_000_000_000_000L)
                .map(String::valueOf),
            Arbitraries.longs()
                .between(SwitchRecord.MAX_VERSION - 2_000_000, SwitchRecord.MAX_VERSION - 1_000_000)
                .map(String::valueOf),
            Arbitraries.longs()
                .between(SwitchRecord.MAX_VERSION + 1, Long.MAX_VALUE)
                .map(String::valueOf),
            Arbitraries.of("1e+14", "0", "-5", "12345678901234567890123"));
    return Combinators.combine(Arbitraries.of(FEATURES), versions, switches())
        .as(Seed::new)
        .list()
        .ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Write> writes =
        Combinators.combine(
                Arbitraries.integers().between(0, INSTANCES - 1),
                Arbitraries.of(FEATURES),
                switches())
            .as(Write::new);
    Arbitrary<Step> restarts =
        Combinators.combine(Arbitraries.integers().between(0, 5), writes.injectNull(0.5))
            .as(Restart::new);
    return Arbitraries.frequencyOf(
            Tuple.of(6, writes.map(Step.class::cast)),
            Tuple.of(2, Arbitraries.just(new Snapshot())),
            Tuple.of(2, restarts))
        .list()
        .ofMinSize(1)
        .ofMaxSize(10)
        .filter(steps -> steps.stream().filter(Restart.class::isInstance).count() <= 3);
  }

  private static Arbitrary<Switch> switches() {
    return Arbitraries.oneOf(
        Arbitraries.just(Switch.on()),
        Arbitraries.just(Switch.auto()),
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(8)
            .map(reason -> Switch.off(reason)),
        Arbitraries.integers().between(0, 100).map(percent -> Switch.rollout(percent)));
  }

  @Property(tries = 30)
  void everyInstanceEndsWithTheNewestSwitchOfEachFeatureWhateverRedisForgot(
      @ForAll("seeds") List<Seed> seeds, @ForAll("steps") List<Step> steps) throws Exception {
    String prefix = "restarts-" + UUID.randomUUID() + ":";
    String hash = prefix + "brownout:switches";
    Map<String, Switch> newest = new HashMap<>();
    for (Seed seed : seeds) {
      redis.sync().hset(hash, seed.feature(), seed.version() + " seed " + seed.setting());
      if (readable(seed.version())) {
        newest.put(seed.feature(), seed.setting());
      } else {
        newest.remove(seed.feature());
      }
    }
    List<Instance> fleet = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    try {
      for (int i = 0; i < INSTANCES; i++) {
        fleet.add(new Instance(redis.server, prefix, "i" + i));
      }
      for (Step step : steps) {
        if (step instanceof Write write) {
          write(fleet, write, newest);
        } else if (step instanceof Snapshot) {
          snapshots.add(redis.server.snapshot());
        } else if (step instanceof Restart restart) {
          redis.server.kill();
          await().untilAsserted(() -> assertThat(fleet).noneMatch(Instance::connected));
          if (restart.meanwhile() != null) {
            write(fleet, restart.meanwhile(), newest);
          }
          int chosen = restart.snapshot() % (snapshots.size() + 1);
          redis.server.startFrom(chosen < snapshots.size() ? snapshots.get(chosen) : null);
          await()
              .atMost(Duration.ofSeconds(20))
              .untilAsserted(() -> assertThat(fleet).allMatch(Instance::connected));
        }
      }
      Map<String, Switch> expected = new LinkedHashMap<>();
      FEATURES.forEach(feature -> expected.put(feature, newest.getOrDefault(feature, Switch.on())));
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                for (Instance instance : fleet) {
                  assertThat(settings(instance)).as(instance.id).isEqualTo(expected);
                }
              });
      for (Map.Entry<String, Switch> feature : newest.entrySet()) {
        assertThat(SwitchRecord.parse(redis.sync().hget(hash, feature.getKey())).setting())
            .as("Redis, " + feature.getKey())
            .isEqualTo(feature.getValue());
      }
      Instance late = new Instance(redis.server, prefix, "late");
      fleet.add(late);
      assertThat(settings(late)).as("an instance that starts afterwards").isEqualTo(expected);
    } finally {
      fleet.forEach(Instance::close);
    }
  }

  private static void write(List<Instance> fleet, Write write, Map<String, Switch> newest) {
    fleet.get(write.instance()).features.set(write.feature(), write.setting());
    newest.put(write.feature(), write.setting());
  }

  private static Map<String, Switch> settings(Instance instance) {
    Map<String, Switch> settings = new LinkedHashMap<>();
    FEATURES.forEach(feature -> settings.put(feature, instance.setting(feature)));
    return settings;
  }

  private static boolean readable(String version) {
    try {
      SwitchRecord.parseVersion(version);
      return true;
    } catch (SwitchRecord.MalformedException e) {
      return false;
    }
  }
}
