package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftDecision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @ExperimentWith} and {@code @ShiftTo} through the generated class: the caller gets the old
 * path's value or exception, the candidate runs and is judged, and a shift routes a sticky share of
 * keys to the new path.
 */
class MigrationAnnotationTest {

  static final String COMMENTS =
      """
      package shop;

      import dev.brownout.migration.annotation.ExperimentWith;
      import dev.brownout.migration.annotation.ShiftKey;
      import dev.brownout.migration.annotation.ShiftTo;
      import java.io.IOException;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.UUID;

      public interface Comments {
        @ExperimentWith(candidate = "commentsV2", feature = "comments.v2", onCallerThread = true)
        List<String> comments(@ShiftKey long question) throws IOException;

        ArrayList<String> commentsV2(long question);

        @ExperimentWith(candidate = "likesV2", feature = "likes.v2", lane = "candidates")
        int likes(String post);

        int likesV2(String post);

        @ShiftTo(method = "authorV2", name = "author-store", steps = {50, 100})
        String author(int size, @ShiftKey String user);

        String authorV2(int size, String user);

        @ShiftTo(method = "forgetV2", name = "forget", steps = 100, fallBackToOld = true, checkEvery = "20ms")
        void forget(UUID user) throws IOException;

        void forgetV2(UUID user) throws IOException;
      }
      """;

  static final String IMPLEMENTATION =
      """
      package shop;

      import java.io.IOException;
      import java.util.ArrayList;
      import java.util.List;
      import java.util.UUID;

      public class DefaultComments implements Comments {
        public final List<String> calls = new ArrayList<>();

        @Override
        public List<String> comments(long question) throws IOException {
          calls.add("old " + question);
          if (question < 0) {
            throw new IOException("no question " + question);
          }
          return List.of("first", "second");
        }

        @Override
        public ArrayList<String> commentsV2(long question) {
          calls.add("new " + question);
          return new ArrayList<>(List.of("second", "first"));
        }

        @Override
        public int likes(String post) {
          return 7;
        }

        @Override
        public int likesV2(String post) {
          calls.add("likesV2 on " + Thread.currentThread().getName());
          return 7;
        }

        @Override
        public String author(int size, String user) {
          return "old";
        }

        @Override
        public String authorV2(int size, String user) {
          return "new";
        }

        @Override
        public void forget(UUID user) {
          calls.add("old forget");
        }

        @Override
        public void forgetV2(UUID user) throws IOException {
          throw new IOException("new store down");
        }
      }
      """;

  private static Compilation compilation;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout =
      Brownout.builder()
          .meterRegistry(registry)
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();

  @BeforeAll
  static void compile() {
    compilation =
        Compilation.compile("shop.Comments", COMMENTS, "shop.DefaultComments", IMPLEMENTATION);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  @AfterEach
  void close() {
    brownout.close();
  }

  private Object implementation;

  /** The guarded class over a new implementation, with the lane its experiment names. */
  private Object comments() throws ReflectiveOperationException {
    brownout.executor("candidates", ExecutorConfig.builder().maxRunning(1).maxQueued(0).build());
    ClassLoader loader = compilation.loader();
    Class<?> type = loader.loadClass("shop.Comments");
    implementation =
        loader.loadClass("shop.DefaultComments").getDeclaredConstructor().newInstance();
    return Reflective.wrap(brownout, type, implementation);
  }

  @SuppressWarnings("unchecked")
  private List<String> calls() throws ReflectiveOperationException {
    return (List<String>) implementation.getClass().getField("calls").get(implementation);
  }

  private double verdicts(String verdict) {
    return verdicts("comments.v2", verdict);
  }

  private double verdicts(String experiment, String verdict) {
    return registry
        .get("brownout.experiment.verdicts")
        .tag("experiment", experiment)
        .tag("verdict", verdict)
        .functionCounter()
        .count();
  }

  @Test
  void theCallerGetsTheOldValueWhileTheCandidateRunsAndIsJudged() throws Throwable {
    Object comments = comments();

    assertThat(Reflective.invoke(comments, "comments", 7L)).isEqualTo(List.of("first", "second"));

    assertThat(calls()).containsExactly("old 7", "new 7");
    assertThat(verdicts("MISMATCH")).isEqualTo(1);
    assertThat(verdicts("MATCH")).isZero();
  }

  @Test
  void theCallerGetsTheOldPathsCheckedExceptionAsItIs() throws Throwable {
    Object comments = comments();

    assertThatThrownBy(() -> Reflective.invoke(comments, "comments", -1L))
        .isInstanceOf(IOException.class)
        .hasMessage("no question -1");
    assertThat(verdicts("MISMATCH")).isEqualTo(1);
  }

  @Test
  void aCandidateRunsOnTheNamedLane() throws Throwable {
    Object comments = comments();

    assertThat(Reflective.invoke(comments, "likes", "p1")).isEqualTo(7);

    await().atMost(Duration.ofSeconds(10)).until(() -> verdicts("likes.v2", "MATCH") == 1);
    assertThat(calls()).singleElement().asString().startsWith("likesV2 on brownout-candidates-");
  }

  @Test
  void aLaneTheRuntimeLacksFailsTheConstructionNamingIt() throws Throwable {
    Class<?> type = compilation.loader().loadClass("shop.Comments");
    Object implementation =
        type.getClassLoader()
            .loadClass("shop.DefaultComments")
            .getDeclaredConstructor()
            .newInstance();

    assertThatThrownBy(() -> Reflective.wrap(brownout, type, implementation))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "@ExperimentWith(lane = \"candidates\") on likes: the runtime has no executor"
                + " 'candidates'; create it with brownout.executor(\"candidates\", config) before"
                + " wrapping Comments");
  }

  @Test
  void theTypesPoliciesGuardItsOtherMethodsButNotAMigratedOne() throws Exception {
    Compilation guardedType =
        Compilation.compile(
            "shop.Authors",
            """
            package shop;

            import dev.brownout.core.annotation.Bulkhead;
            import dev.brownout.migration.annotation.ShiftTo;

            @Bulkhead
            public interface Authors {
              @ShiftTo(method = "authorV2", name = "authors")
              String author(String user);

              String authorV2(String user);

              String bio(String user);
            }
            """);

    assertThat(guardedType.errors()).isEmpty();
    String generated = guardedType.generated("shop.Guarded_Authors");
    assertThat(generated)
        .contains("private final Guard bioGuard;", "private final Shift<String> authorShift;");
    assertThat(generated).doesNotContain("authorGuard");
  }

  @Test
  void aClassMethodThrowingSeveralCheckedExceptionsIsMigratedToo() throws Throwable {
    Compilation prices =
        Compilation.compile(
            "shop.Prices",
            """
            package shop;

            import dev.brownout.migration.annotation.ExperimentWith;
            import java.io.IOException;
            import java.util.concurrent.TimeoutException;

            public class Prices {
              @ExperimentWith(candidate = "priceV2", feature = "prices.v2", onCallerThread = true)
              public long price(String sku) throws IOException, TimeoutException {
                if (sku.isEmpty()) {
                  throw new TimeoutException("no sku");
                }
                return 100;
              }

              public long priceV2(String sku) throws IOException {
                return 100;
              }
            }
            """);
    assertThat(prices.errors()).isEmpty();
    Class<?> type = prices.loader().loadClass("shop.Prices");
    Object guarded = Reflective.wrap(brownout, type, type.getDeclaredConstructor().newInstance());

    assertThat(Reflective.invoke(guarded, "price", "tea")).isEqualTo(100L);
    assertThatThrownBy(() -> Reflective.invoke(guarded, "price", ""))
        .isInstanceOf(java.util.concurrent.TimeoutException.class)
        .hasMessage("no sku");
    assertThat(verdicts("prices.v2", "MATCH")).isEqualTo(1);
  }

  @Test
  void aShiftRoutesAStickyShareOfKeysToTheNewPath() throws Throwable {
    Object comments = comments();
    Shift<?> shift = (Shift<?>) Reflective.invoke(comments, "authorShift");
    assertThat(shift.share()).isEqualTo(50);

    int routedToNew = 0;
    for (int user = 0; user < 1_000; user++) {
      Object first = Reflective.invoke(comments, "author", 64, "user-" + user);
      assertThat(Reflective.invoke(comments, "author", 32, "user-" + user)).isEqualTo(first);
      routedToNew += first.equals("new") ? 1 : 0;
    }
    // 50% of 1,000 keys: sigma is about 16, so 6 sigma either side.
    assertThat(routedToNew).isBetween(405, 595);
  }

  @Test
  void aShiftIsFoundByNameAndChecksItselfOnItsSchedule() throws Throwable {
    Object comments = comments();
    Shift<?> forget = (Shift<?>) Reflective.invoke(comments, "forgetShift");

    assertThat(Shift.find(brownout, "forget")).containsSame(forget);
    assertThat(Shift.all(brownout))
        .extracting(Shift::name)
        .containsExactly("author-store", "forget");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(forget.decisions())
                    .as("checked every 20 ms: no calls yet, so it holds")
                    .isNotEmpty()
                    .allSatisfy(d -> assertThat(d.kind()).isEqualTo(ShiftDecision.Kind.HOLD)));
    assertThat(((Shift<?>) Reflective.invoke(comments, "authorShift")).decisions())
        .as("checkEvery defaults to 30 s: no check yet")
        .isEmpty();
  }

  @Test
  void aVoidShiftFallsBackToTheOldPathWhenTheNewOneFails() throws Throwable {
    Object comments = comments();

    Reflective.invoke(comments, "forget", UUID.randomUUID());

    assertThat(calls()).containsExactly("old forget");
    assertThat(((Shift<?>) Reflective.invoke(comments, "forgetShift")).fellBack()).isEqualTo(1);
  }
}
