package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.CallCounts;
import dev.brownout.core.Guard;
import io.micrometer.core.instrument.FunctionCounter;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StrategiesTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;
  private final Feature recommendations = features.feature("feed.recommendations");
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void close() {
    runtime.close();
  }

  private Guard guard(String name, DegradationStrategy<?> strategy) {
    return runtime.brownout.guard(name).admission(recommendations.degradeTo(strategy)).build();
  }

  private List<String> recommend(String user) {
    calls.incrementAndGet();
    return List.of("for " + user);
  }

  private double served(String strategy) {
    FunctionCounter counter =
        runtime
            .registry
            .find("brownout.feature.degraded.calls")
            .tags("feature", "feed.recommendations", "strategy", strategy)
            .functionCounter();
    return counter == null ? 0.0 : counter.count();
  }

  @Test
  void aConstantIsServedWithoutRunningTheCall() throws Exception {
    Guard guard = guard("recs", DegradationStrategy.value(List.of()));
    features.set("feed.recommendations", Switch.off("down"));

    assertThat(guard.call(() -> recommend("u1"))).isEmpty();
    assertThat(calls).hasValue(0);
    assertThat(guard.counts()).isEqualTo(new CallCounts(0, 0, 0, 0, 1, 0, 0, 0));
    assertThat(served("value")).isEqualTo(1.0);
  }

  @Test
  void aFallbackFunctionGetsTheKeyAndTheReason() throws Exception {
    Guard guard =
        guard("recs", DegradationStrategy.fallback((key, reason) -> List.of(key + " / " + reason)));
    features.set("feed.recommendations", Switch.off("store down").by("bob"));

    assertThat(guard.callFor("u7", () -> recommend("u7")))
        .containsExactly("u7 / switched off by bob: store down");
    assertThat(served("fallback")).isEqualTo(1.0);
  }

  @Test
  void failThrowsOneStacklessExceptionPerStateAndIsNeverRetried() throws Exception {
    Guard guard =
        runtime
            .brownout
            .guard("recs")
            .admission(recommendations.degradeTo(DegradationStrategy.fail()))
            .retry(dev.brownout.core.RetryConfig.builder().maxAttempts(3).build())
            .build();
    features.set("feed.recommendations", Switch.off("down"));

    Throwable first =
        org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> recommend("u")));
    Throwable second =
        org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> recommend("u")));

    assertThat(first)
        .isInstanceOf(FeatureDegradedException.class)
        .hasMessage("feature 'feed.recommendations' is degraded: switched off: down");
    assertThat(second).isSameAs(first);
    assertThat(first.getStackTrace()).isEmpty();
    assertThat(((FeatureDegradedException) first).source()).isEqualTo("feed.recommendations");
    assertThat(calls).hasValue(0);
    assertThat(served("fail")).isEqualTo(2.0);
  }

  @Test
  void lastGoodServesTheLatestSuccessForTheSameKeyWhileDegraded() throws Exception {
    Guard guard =
        guard(
            "recs",
            DegradationStrategy.<List<String>>lastGood(100, Duration.ofMinutes(10))
                .orElse(DegradationStrategy.value(List.of("none"))));
    guard.callFor("alice", () -> List.of("old for alice"));
    guard.callFor("alice", () -> recommend("alice"));
    guard.callFor("bob", () -> recommend("bob"));

    features.set("feed.recommendations", Switch.off("down"));

    assertThat(guard.callFor("alice", () -> recommend("x"))).containsExactly("for alice");
    assertThat(guard.callFor("bob", () -> recommend("x"))).containsExactly("for bob");
    assertThat(guard.callFor("carol", () -> recommend("x"))).containsExactly("none");
    assertThat(calls).hasValue(2);
    assertThat(served("last-good")).isEqualTo(2.0);
    assertThat(served("value")).isEqualTo(1.0);
  }

  @Test
  void lastGoodRespectsTheAgeBound() throws Exception {
    Guard guard =
        guard("recs", DegradationStrategy.<List<String>>lastGood(100, Duration.ofMinutes(10)));
    guard.callFor("alice", () -> recommend("alice"));
    features.set("feed.recommendations", Switch.off("down"));

    runtime.advance(Duration.ofMinutes(9));
    assertThat(guard.callFor("alice", () -> recommend("x"))).containsExactly("for alice");
    runtime.advance(Duration.ofMinutes(1).plusNanos(1));
    assertThatThrownBy(() -> guard.callFor("alice", () -> recommend("x")))
        .isInstanceOf(FeatureDegradedException.class);
  }

  @Test
  void lastGoodNeverCachesAFailureOrAFallbackOrNull() throws Exception {
    Guard guard =
        guard(
            "recs",
            DegradationStrategy.<String>lastGood(100, Duration.ofMinutes(10))
                .orElse(DegradationStrategy.value("none")));
    guard.callFor("a", () -> "good");
    assertThatThrownBy(
            () ->
                guard.callFor(
                    "a",
                    () -> {
                      throw new IOException("boom");
                    }))
        .isInstanceOf(IOException.class);
    guard.callFor(
        "a",
        () -> {
          throw new IOException("boom");
        },
        dev.brownout.core.Fallback.value("from fallback"));
    guard.callFor("b", () -> null);

    features.set("feed.recommendations", Switch.off("down"));

    assertThat(guard.callFor("a", () -> "x")).isEqualTo("good");
    assertThat(guard.callFor("b", () -> "x")).isEqualTo("none");
  }

  @Test
  void lastGoodWorksForAsyncCallsAndCallsWithoutKeys() throws Exception {
    Guard guard = guard("recs", DegradationStrategy.<String>lastGood(10, Duration.ofMinutes(1)));
    guard.call(() -> "latest");
    guard
        .callAsyncFor("k", () -> CompletableFuture.completedFuture("async"))
        .toCompletableFuture()
        .join();
    features.set("feed.recommendations", Switch.off("down"));

    assertThat(guard.<String>call(() -> "x")).isEqualTo("latest");
    assertThat(
            guard
                .callAsyncFor("k", () -> CompletableFuture.completedFuture("x"))
                .toCompletableFuture()
                .join())
        .isEqualTo("async");
  }

  @Test
  void aRolloutGuardAdmitsExactlyTheKeysTheFeatureAdmits() throws Exception {
    Guard guard = guard("recs", DegradationStrategy.value(List.of()));
    features.set("feed.recommendations", Switch.rollout(50));
    int admitted = 0;
    for (int i = 0; i < 200; i++) {
      String user = "user-" + i;
      List<String> result = guard.callFor(user, () -> recommend(user));
      assertThat(!result.isEmpty()).isEqualTo(recommendations.isEnabled(user));
      admitted += result.isEmpty() ? 0 : 1;
    }
    assertThat(admitted).isBetween(60, 140);
    assertThat(guard.call(() -> recommend("no key")))
        .as("a rollout without a key is off")
        .isEmpty();
  }

  @Test
  void strategiesAreCheckedWhenMade() {
    assertThatThrownBy(() -> DegradationStrategy.lastGood(0, Duration.ofMinutes(1)))
        .hasMessageContaining("strategy.lastGood.maxEntries")
        .hasMessageContaining("0");
    assertThatThrownBy(() -> DegradationStrategy.lastGood(1, Duration.ZERO))
        .hasMessageContaining("strategy.lastGood.maxAge");
    assertThatThrownBy(
            () ->
                recommendations.degradeTo(
                    DegradationStrategy.lastGood(1, Duration.ofSeconds(1))
                        .orElse(DegradationStrategy.lastGood(2, Duration.ofSeconds(1)))))
        .hasMessageContaining("strategy.lastGood.orElse");
    assertThatThrownBy(() -> recommendations.degradeTo(null))
        .hasMessageContaining("feature.degradeTo.strategy");
  }
}
