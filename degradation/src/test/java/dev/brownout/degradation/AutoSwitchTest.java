package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AutoSwitchTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;

  @AfterEach
  void close() {
    runtime.close();
  }

  private static String fail() throws IOException {
    throw new IOException("down");
  }

  @Test
  void anAutoFeatureIsOffWhileItsBreakerRejectsAndBackWhenTheBreakerWouldProbe() throws Exception {
    CircuitBreaker breaker =
        runtime.brownout.circuitBreaker(
            "recs",
            CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 4, 4)
                .waitDurationInOpenState(Duration.ofSeconds(30))
                .build());
    Feature recs =
        features
            .define("feed.recommendations")
            .priority(Priority.P3)
            .trigger(Trigger.breakerOpen(breaker))
            .initially(Switch.auto())
            .register();
    Guard guard =
        runtime
            .brownout
            .guard("recs")
            .admission(recs.degradeTo(DegradationStrategy.value("none")))
            .circuitBreaker(breaker)
            .build();

    for (int i = 0; i < 4; i++) {
      guard.call(AutoSwitchTest::fail, dev.brownout.core.Fallback.value("fallback"));
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    runtime.advance(Duration.ofSeconds(1));
    assertThat(recs.isEnabled()).isFalse();
    assertThat(recs.state().cause()).isEqualTo("auto: breaker recs is open");
    assertThat(guard.call(() -> "real")).isEqualTo("none");

    runtime.advance(Duration.ofSeconds(30));
    assertThat(breaker.state())
        .as("nothing has asked the breaker since")
        .isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(recs.isEnabled())
        .as("the breaker would let a probe through, so the feature lets calls reach it")
        .isTrue();
    assertThat(guard.call(() -> "real")).isEqualTo("real");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(features.history())
        .extracting(
            SwitchChange::feature, SwitchChange::from, SwitchChange::to, SwitchChange::source)
        .containsSubsequence(
            org.assertj.core.groups.Tuple.tuple("feed.recommendations", "ON", "OFF", "auto"),
            org.assertj.core.groups.Tuple.tuple("feed.recommendations", "OFF", "ON", "auto"));
  }

  @Test
  void anErrorRateTriggerFiresHoldsAndClearsWhenTheDegradedGuardSeesNoCalls() throws Exception {
    Guard dependency = runtime.brownout.guard("comments").build();
    Feature comments =
        features
            .define("comments")
            .trigger(Trigger.errorRate(dependency, 0.5, 0.2, 10).holdFor(Duration.ofSeconds(30)))
            .initially(Switch.auto())
            .register();

    for (int i = 0; i < 10; i++) {
      dependency.call(() -> "ok", dev.brownout.core.Fallback.value("x"));
    }
    runtime.advance(Duration.ofSeconds(1));
    assertThat(comments.isEnabled()).isTrue();

    for (int i = 0; i < 10; i++) {
      dependency.call(
          i % 2 == 0 ? AutoSwitchTest::fail : () -> "ok", dev.brownout.core.Fallback.value("x"));
    }
    runtime.advance(Duration.ofSeconds(1));
    assertThat(comments.isEnabled()).isFalse();
    assertThat(comments.state().cause())
        .isEqualTo("auto: error rate of guard comments at 0.5 or more");

    runtime.advance(Duration.ofSeconds(29));
    assertThat(comments.isEnabled()).as("held for 30 s").isFalse();
    runtime.advance(Duration.ofSeconds(1));
    assertThat(comments.isEnabled()).isTrue();
  }

  @Test
  void aTriggerOnlyActsWhileTheSwitchIsAutoButIsFollowedAllAlong() {
    AtomicReference<Double> saturation = new AtomicReference<>(0.95);
    Feature fanout =
        features
            .define("fanout")
            .trigger(
                Trigger.above("fan-out executor saturation", saturation::get, 0.9, 0.7)
                    .holdFor(Duration.ZERO))
            .register();
    runtime.advance(Duration.ofSeconds(1));
    assertThat(fanout.isEnabled()).as("ON is ON, whatever the trigger says").isTrue();

    features.set("fanout", Switch.auto());
    assertThat(fanout.isEnabled()).isFalse();
    saturation.set(0.8);
    runtime.advance(Duration.ofSeconds(1));
    assertThat(fanout.isEnabled()).as("between the thresholds it keeps firing").isFalse();
    saturation.set(0.6);
    runtime.advance(Duration.ofSeconds(1));
    assertThat(fanout.isEnabled()).isTrue();
  }

  @Test
  void aTriggerThatThrowsCountsAsClear() {
    Feature f =
        features
            .define("f")
            .trigger(
                Trigger.above(
                    "broken",
                    () -> {
                      throw new IllegalStateException("boom");
                    },
                    1,
                    0))
            .initially(Switch.auto())
            .register();
    runtime.advance(Duration.ofSeconds(1));
    assertThat(f.isEnabled()).isTrue();
  }

  @Test
  void triggersAreCheckedWhenMade() {
    assertThatThrownBy(() -> Trigger.above("x", () -> 0, 0.5, 0.7))
        .hasMessageContaining("trigger.clearBelow")
        .hasMessageContaining("0.7");
    assertThatThrownBy(() -> Trigger.errorRate(runtime.brownout.guard("g").build(), 1.5, 0.2, 5))
        .hasMessageContaining("trigger.fireAt");
    assertThatThrownBy(() -> Trigger.errorRate(runtime.brownout.guard("h").build(), 0.5, 0.2, 0))
        .hasMessageContaining("trigger.minCalls");
    assertThatThrownBy(() -> Trigger.above("x", () -> 0, 1, 0).holdFor(Duration.ofSeconds(-1)))
        .hasMessageContaining("trigger.holdFor");
    assertThat(List.of(Trigger.above("queue depth", () -> 0, 1, 0)))
        .extracting(Object::toString)
        .containsExactly("queue depth");
  }

  @Test
  void aSaturatedExecutorPartitionSwitchesItsFeatureOff() throws Exception {
    dev.brownout.core.executor.BoundedExecutor executor =
        runtime.brownout.executor(
            "fanout",
            dev.brownout.core.executor.ExecutorConfig.builder()
                .maxRunning(4)
                .maxQueued(4)
                .partition("feed", 50)
                .build());
    dev.brownout.core.executor.BoundedExecutor feed = executor.partition("feed");
    Feature f =
        features
            .define("feed")
            .trigger(Trigger.saturated(feed, 0.75, 0.25).holdFor(Duration.ZERO))
            .initially(Switch.auto())
            .register();
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < 4; i++) {
      var unused =
          feed.submit("held", () -> release.await(30, java.util.concurrent.TimeUnit.SECONDS));
    }
    org.awaitility.Awaitility.await().until(() -> feed.running() == 2 && feed.queued() == 2);
    assertThat(feed.saturation()).isEqualTo(1.0);

    runtime.advance(Duration.ofSeconds(1));
    assertThat(f.isEnabled()).isFalse();
    assertThat(f.state().cause())
        .isEqualTo("auto: executor fanout/feed at 0.75 saturation or more");

    release.countDown();
    org.awaitility.Awaitility.await().until(() -> feed.running() == 0 && feed.queued() == 0);
    runtime.advance(Duration.ofSeconds(1));
    assertThat(f.isEnabled()).isTrue();
    assertThat(LoadSignal.saturation(executor).read()).isZero();
  }
}
