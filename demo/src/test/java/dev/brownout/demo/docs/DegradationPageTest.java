package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Guard;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.DegradationStrategy;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.LevelController;
import dev.brownout.degradation.LoadSignal;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.degradation.Trigger;
import dev.brownout.demo.docs.Shop.Item;
import dev.brownout.demo.docs.Shop.Recommender;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/degradation.md, run. */
class DegradationPageTest {

  // Refreshed by hand (brownout.features.refresh = 0), so each test sees the state it set.
  private final Brownout brownout = Brownout.builder()
      .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test settings"))
      .build();
  private final Features features = Features.of(brownout);
  private final Recommender recommender = new Recommender();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void defineCheckAndSwitchOff() throws Exception {
    String userId = "u-17";
    List<Item> page = new ArrayList<>();
    // docs:begin
    Features features = Features.of(brownout);
    Feature recommendations = features.define("feed.recommendations").priority(Priority.P3).register();

    if (recommendations.isEnabled(userId)) {          // a volatile read: no lock, no allocation
      page.addAll(recommender.forUser(userId));
    }

    features.set("feed.recommendations", Switch.off("store is down").by("alice").lasting(Duration.ofMinutes(30)));
    System.out.println(recommendations.state());
    // FeatureState[feature=feed.recommendations, priority=P3, setting=OFF by=alice until=2026-12-04T09:03:18Z
    //   reason=store is down, source=api, setAt=…, expiresAt=…, enabledPercent=0.0, effective=OFF,
    //   cause=switched off by alice: store is down]
    // docs:end

    assertThat(page).containsExactly(new Item("book for u-17"));
    assertThat(recommendations.isEnabled(userId)).isFalse();
    assertThat(recommendations.state().toString())
        .startsWith("FeatureState[feature=feed.recommendations, priority=P3, setting=OFF by=alice until=")
        .contains("reason=store is down", "source=api", "effective=OFF", "cause=switched off by alice: store is down");
  }

  @Test
  void autoTriggers() {
    CircuitBreaker commentsBreaker = brownout.circuitBreaker("comments");
    Guard commentsGuard = brownout.guard("comments-guard").circuitBreaker(commentsBreaker).build();
    BoundedExecutor fanout = brownout.executor("fanout",
        ExecutorConfig.builder().maxRunning(4).maxQueued(8).partition("comments", 50).build());
    ConnectionPool pool = new ConnectionPool();
    // docs:begin
    features.define("feed.comments")
        .priority(Priority.P2)
        .trigger(Trigger.breakerOpen(commentsBreaker))
        .trigger(Trigger.errorRate(commentsGuard, 0.5, 0.2, 20).holdFor(Duration.ofSeconds(30)))
        .trigger(Trigger.saturated(fanout, 0.9, 0.5))   // a BoundedExecutor
        .trigger(Trigger.above("connection pool use", pool::usage, 0.95, 0.8))
        .initially(Switch.auto())
        .register();
    // docs:end

    features.refresh();
    assertThat(features.feature("feed.comments").isEnabled()).isTrue();
    commentsBreaker.forceOpen();
    features.refresh();
    assertThat(features.feature("feed.comments").isEnabled()).isFalse();
  }

  @Test
  void theBrownoutLevel() {
    Guard checkoutGuard = brownout.guard("checkout").recordLatency(true).build();
    features.define("feed.avatars").priority(Priority.P4).register();
    features.define("checkout.pay").priority(Priority.P0).register();
    // docs:begin
    features.setLevel(2, "Black Friday peak");       // every P3 and P4 feature is off now

    features.control(LevelController.builder(LoadSignal.p95LatencyMillis(checkoutGuard), 250)
        .raiseAfter(Duration.ofSeconds(5))              // one level up per 5 s over 250 ms
        .lowerBelow(200).lowerAfter(Duration.ofSeconds(30))   // one level down per 30 s under 200 ms
        .build());
    // docs:end
    assertThat(features.level()).isEqualTo(2);
    assertThat(features.feature("feed.avatars").isEnabled()).isFalse();
    assertThat(features.feature("checkout.pay").isEnabled()).isTrue();
  }

  @Test
  void aDegradedCallServesTheLastGoodValue() throws Exception {
    Feature recommendations = features.define("feed.recommendations").priority(Priority.P3).register();
    String userId = "u-17";
    // docs:begin
    Guard recs = brownout.guard("recommendations")
        .admission(recommendations.degradeTo(
            DegradationStrategy.<List<Item>>lastGood(10_000, Duration.ofMinutes(10))
                .orElse(DegradationStrategy.value(List.of()))))
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .build();

    List<Item> items = recs.callFor(userId, () -> recommender.forUser(userId));
    // docs:end

    assertThat(items).containsExactly(new Item("book for u-17"));
    features.set("feed.recommendations", Switch.off("store is down"));
    assertThat(recs.callFor(userId, () -> recommender.forUser(userId))).isEqualTo(items);
    assertThat(recs.callFor("u-18", () -> recommender.forUser("u-18"))).isEmpty();
    assertThat(recommender.calls).hasValue(1);
  }

  @Test
  void aMissingSwitchFileSetsNothing() {
    // docs:begin
    features.addSource(FileSwitchSource.of(Path.of("/etc/brownout/features.properties")));
    // docs:end
    features.refresh();
    assertThat(features.history()).isEmpty();
  }

  @Test
  void thePagesSwitchFileIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("features.properties");
    Files.writeString(file, Snippets.firstBlock("docs/degradation.md", "properties"), StandardCharsets.UTF_8);
    features.define("feed.recommendations").register();
    features.define("feed.avatars").register();
    features.define("feed.beta").register();
    FileSwitchSource source = FileSwitchSource.of(file);
    features.addSource(source);
    features.refresh();
    Switch recommendations = features.feature("feed.recommendations").state().setting();
    assertThat(recommendations.kind()).isEqualTo(Switch.Kind.OFF);
    assertThat(recommendations.by()).isEqualTo("alice");
    assertThat(recommendations.reason()).isEqualTo("store is down");   // the continuation line
    assertThat(features.feature("feed.avatars").state().setting()).isEqualTo(Switch.rollout(25));
    assertThat(features.feature("feed.beta").state().setting().reason()).isEqualTo("caf\u00e9 closed");

    // java.util.Properties reads the same entries
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    assertThat(properties.stringPropertyNames()).containsExactlyInAnyOrder("feed.recommendations", "feed.avatars", "feed.beta");

    // the file ended with "# end": a version cut short is refused and the last good state kept
    Files.writeString(file, "feed.recommendations: OFF by=bo\n", StandardCharsets.UTF_8);
    features.refresh();
    assertThat(features.feature("feed.avatars").state().setting()).isEqualTo(Switch.rollout(25));
    assertThat(features.feature("feed.recommendations").state().setting().by()).isEqualTo("alice");
  }

  @Test
  void auditHistoryAndSnapshot() {
    features.set("feed.recommendations", Switch.off("store is down").by("alice"));
    List<String> lines = new ArrayList<>();
    // docs:begin
    for (SwitchChange change : features.history()) {
      lines.add(change.at() + " " + change.feature() + " " + change.from() + " -> " + change.to() + " " + change.source());
    }
    Map<String, FeatureState> all = features.snapshot();   // every feature, from one published change
    // docs:end
    assertThat(lines).singleElement().asString().endsWith("feed.recommendations ON -> OFF api");
    assertThat(all).containsOnlyKeys("feed", "feed.recommendations");
  }

  /** A connection pool's use, from 0 to 1. */
  static final class ConnectionPool {
    double usage() {
      return 0.5;
    }
  }
}
