package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.FeatureDegradedException;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Degradable} through the generated class: the feature switch and its strategy, keyed by
 * the arguments.
 */
class DegradableAnnotationTest {

  static final String FEED =
      """
      package shop;

      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.degradation.annotation.Degradable;
      import java.util.List;
      import java.util.concurrent.CompletableFuture;
      import java.util.concurrent.CompletionStage;

      public interface Feed {
        @Degradable(feature = "feed.recommendations", lastGood = true, fallback = "noRecommendations")
        @CircuitBreaker
        List<String> recommendations(long user);

        default List<String> noRecommendations(long user, String reason) {
          return List.of("none for " + user + ": " + reason);
        }

        @Degradable(feature = "feed.avatars", fallback = "grey")
        String avatar(String user, int size);

        default String grey() {
          return "grey.png";
        }

        @Degradable(feature = "feed.counters")
        int likes(String post);

        @Degradable(feature = "feed.tracking")
        void track(String event);

        @Degradable(feature = "feed.comments", lastGood = true, lastGoodMaxAge = "1m")
        CompletionStage<String> comments(String post);
      }
      """;

  private static Compilation compilation;
  private final Brownout brownout =
      Brownout.builder()
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  private final Features features = Features.of(brownout);
  private final AtomicInteger calls = new AtomicInteger();

  @BeforeAll
  static void compile() {
    compilation = Compilation.compile("shop.Feed", FEED);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  @AfterEach
  void close() {
    brownout.close();
  }

  private Object feed() throws ClassNotFoundException {
    Class<?> type = compilation.loader().loadClass("shop.Feed");
    Object implementation =
        java.lang.reflect.Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.isDefault()) {
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
              }
              calls.incrementAndGet();
              return switch (method.getName()) {
                case "recommendations" -> List.of("live for " + args[0]);
                case "avatar" -> args[0] + "@" + args[1] + ".png";
                case "likes" -> 7;
                case "comments" ->
                    java.util.concurrent.CompletableFuture.completedFuture(
                        "comments on " + args[0]);
                default -> null;
              };
            });
    return Reflective.wrap(brownout, type, implementation);
  }

  @Test
  void lastGoodIsKeyedByTheArgumentsAndFallsBackToTheFallbackWithTheReason() throws Throwable {
    Object feed = feed();
    assertThat(Reflective.invoke(feed, "recommendations", 1L)).isEqualTo(List.of("live for 1"));
    features.set("feed.recommendations", Switch.off("store down"));

    assertThat(Reflective.invoke(feed, "recommendations", 1L)).isEqualTo(List.of("live for 1"));
    assertThat(Reflective.invoke(feed, "recommendations", 2L))
        .isEqualTo(List.of("none for 2: switched off: store down"));
    assertThat(calls).hasValue(1);
  }

  @Test
  void aFallbackWithoutParametersServesEveryKeyAndARolloutKeepsEachKeyInOrOut() throws Throwable {
    Object feed = feed();
    features.set("feed.avatars", Switch.rollout(50));
    int live = 0;
    for (int user = 0; user < 200; user++) {
      Object first = Reflective.invoke(feed, "avatar", "u" + user, 64);
      assertThat(Reflective.invoke(feed, "avatar", "u" + user, 64)).isEqualTo(first);
      live += first.equals("grey.png") ? 0 : 1;
    }
    assertThat(live).isBetween(60, 140);
  }

  @Test
  void withoutAStrategyADegradedCallFailsFastAndAVoidCallIsSkipped() throws Throwable {
    Object feed = feed();
    features.set("feed.counters", Switch.off("db maintenance"));
    features.set("feed.tracking", Switch.off("pipeline full"));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reflective.invoke(feed, "likes", "p1"))
        .isInstanceOf(FeatureDegradedException.class)
        .hasMessageContaining("feed.counters");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Reflective.invoke(feed, "track", "click"))
        .isInstanceOf(FeatureDegradedException.class);
    assertThat(calls).hasValue(0);
  }

  @Test
  void anAsyncMethodServesItsLastGoodStage() throws Throwable {
    Object feed = feed();
    ((CompletionStage<?>) Reflective.invoke(feed, "comments", "p1")).toCompletableFuture().join();
    features.set("feed.comments", Switch.off("slow"));

    assertThat(
            ((CompletionStage<?>) Reflective.invoke(feed, "comments", "p1"))
                .toCompletableFuture()
                .join())
        .isEqualTo("comments on p1");
  }

  @Test
  void theGeneratedGuardAsksTheRuntimesFeatures() throws Exception {
    assertThat(compilation.generated("shop.Guarded_Feed"))
        .contains(".admission(Features.of(brownout).feature(\"feed.recommendations\").degradeTo(")
        .contains(">lastGood(10000L, Duration.ofSeconds(600L))")
        .contains("delegate.noRecommendations((long) key, reason)")
        .contains("delegate.grey()");
  }
}
