package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Random interleavings of switches set on several instances sharing one Redis: whatever the order,
 * every instance ends with the same switches, and they are the last write of each feature (the last
 * made, when the writes follow one another; the last Redis ordered, when they race). Each try uses
 * a fresh key prefix on one server.
 */
@AddLifecycleHook(FleetConvergenceProperties.SkipWithoutRedis.class)
class FleetConvergenceProperties {

  /** Skips the properties where {@link RedisServer#startOrSkip} would skip a JUnit test. */
  static final class SkipWithoutRedis implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
      return RedisServer.skipReason().map(SkipResult::skip).orElse(SkipResult.doNotSkip());
    }
  }

  private static final int INSTANCES = 3;
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

  /** One switch set through one instance's API. */
  record Write(int instance, String feature, Switch setting) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<Switch> switches =
        Arbitraries.oneOf(
            Arbitraries.just(Switch.on()),
            Arbitraries.just(Switch.auto()),
            Arbitraries.strings()
                .alpha()
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(reason -> Switch.off(reason)),
            Arbitraries.integers().between(0, 100).map(percent -> Switch.rollout(percent)),
            Arbitraries.integers()
                .between(1, 120)
                .map(
                    minutes ->
                        Switch.off("expiring").by("ops").lasting(Duration.ofMinutes(minutes))));
    return Combinators.combine(
            Arbitraries.integers().between(0, INSTANCES - 1), Arbitraries.of(FEATURES), switches)
        .as(Write::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(15);
  }

  @Property(tries = 25)
  void everyInstanceEndsWithTheLastWriteOfEachFeature(@ForAll("writes") List<Write> writes)
      throws Exception {
    List<Instance> fleet = fleet();
    try {
      Map<String, Write> last = new HashMap<>();
      for (Write write : writes) {
        fleet.get(write.instance()).features.set(write.feature(), write.setting());
        last.put(write.feature(), write);
      }
      Map<String, SwitchRecord> stored = stored(fleet, last.keySet());
      for (Write write : last.values()) {
        SwitchRecord record = stored.get(write.feature());
        assertThat(record.instance())
            .as(write.feature() + " written last by")
            .isEqualTo("i" + write.instance());
        assertThat(asWritten(record.setting()))
            .as(write.feature())
            .isEqualTo(asWritten(write.setting()));
      }
      awaitEveryInstanceHas(fleet, stored);
    } finally {
      fleet.forEach(Instance::close);
    }
  }

  @Property(tries = 20)
  void concurrentWritersEndWithTheWriteRedisOrderedLast(@ForAll("writes") List<Write> writes)
      throws Exception {
    List<Instance> fleet = fleet();
    ExecutorService writers = Executors.newFixedThreadPool(INSTANCES);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        int index = i;
        List<Write> own = writes.stream().filter(write -> write.instance() == index).toList();
        done.add(
            writers.submit(
                () -> {
                  go.await();
                  own.forEach(
                      write -> fleet.get(index).features.set(write.feature(), write.setting()));
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> writer : done) {
        writer.get(30, TimeUnit.SECONDS);
      }
      awaitEveryInstanceHas(
          fleet, stored(fleet, writes.stream().map(Write::feature).distinct().toList()));
    } finally {
      writers.shutdownNow();
      fleet.forEach(Instance::close);
    }
  }

  private static List<Instance> fleet() {
    String prefix = "fleet-" + UUID.randomUUID() + ":";
    List<Instance> fleet = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      fleet.add(new Instance(redis.server, prefix, "i" + i));
    }
    return fleet;
  }

  /** What Redis holds for {@code features} once the writes are done: the last write of each. */
  private static Map<String, SwitchRecord> stored(List<Instance> fleet, Iterable<String> features)
      throws SwitchRecord.MalformedException {
    String hash = fleet.get(0).prefix + "brownout:switches";
    Map<String, SwitchRecord> stored = new HashMap<>();
    for (String feature : features) {
      stored.put(feature, SwitchRecord.parse(redis.sync().hget(hash, feature)));
    }
    return stored;
  }

  /** A switch as its writer stated it: an expiry "for 5 minutes" becomes an instant once set. */
  private static String asWritten(Switch setting) {
    return setting.toString().replaceFirst(" (for|until)=\\S+", " expiring");
  }

  private static void awaitEveryInstanceHas(
      List<Instance> fleet, Map<String, SwitchRecord> expected) {
    await()
        .untilAsserted(
            () -> {
              for (Instance instance : fleet) {
                for (Map.Entry<String, SwitchRecord> feature : expected.entrySet()) {
                  assertThat(instance.setting(feature.getKey()))
                      .as(instance.id + " " + feature.getKey())
                      .isEqualTo(feature.getValue().setting());
                }
              }
            });
  }
}
