package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One behaviour of {@link Experiment} per test: each option and each verdict. */
class ExperimentTest {

  private final TestRuntime runtime = new TestRuntime();
  private final TestRuntime.Published<String> published = new TestRuntime.Published<>();

  @AfterEach
  void close() {
    runtime.close();
  }

  private Experiment.Builder<String> builder() {
    return builder(runtime.feature());
  }

  private Experiment.Builder<String> builder(Feature feature) {
    return Experiment.<String>builder(runtime.brownout, feature).publisher(published::accept);
  }

  @Test
  void equalValuesMatch() throws Exception {
    Experiment<String> experiment = builder().build();

    assertThat(experiment.run(() -> "a", () -> "a")).isEqualTo("a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MATCH);
    assertThat(result.reason()).isEqualTo("values are equal");
    assertThat(result.experiment()).isEqualTo(experiment.name());
  }

  @Test
  void aRuntimeFindsItsExperimentsAndTheirVerdictCounts() throws Exception {
    Experiment<String> experiment = builder().build();
    experiment.run(() -> "a", () -> "a");
    published.next();
    experiment.run(() -> "a", () -> "b");
    published.next();

    assertThat(Experiment.find(runtime.brownout, experiment.name())).containsSame(experiment);
    assertThat(Experiment.find(runtime.brownout, "nothing")).isEmpty();
    assertThat(Experiment.all(runtime.brownout)).containsExactly(experiment);
    assertThat(experiment.verdicts())
        .containsEntry(Verdict.MATCH, 1L)
        .containsEntry(Verdict.MISMATCH, 1L)
        .containsEntry(Verdict.SKIPPED, 0L)
        .hasSize(Verdict.values().length);
    assertThat(experiment.cancelsNoise()).isFalse();
    assertThat(experiment.feature().name()).isEqualTo(experiment.name());
    try (TestRuntime other = new TestRuntime()) {
      assertThat(Experiment.all(other.brownout)).as("another runtime has its own").isEmpty();
    }
  }

  @Test
  void differentValuesMismatch() throws Exception {
    Experiment<String> experiment = builder().build();

    assertThat(experiment.run(() -> "old", () -> "new")).isEqualTo("old");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(result.controlValue()).isEqualTo("old");
    assertThat(result.candidateValue()).isEqualTo("new");
  }

  @Test
  void aNullCandidateValueMismatchesAValue() throws Exception {
    builder().build().run(() -> "old", () -> null);

    assertThat(published.next().verdict()).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void anIgnoreRuleExcusesADifferenceAndIsAskedOnlyOnAMismatch() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    Experiment<String> experiment =
        builder()
            .ignore((control, candidate) -> asked.incrementAndGet() < 0)
            .ignore((control, candidate) -> candidate != null && candidate.startsWith("~"))
            .build();

    experiment.run(() -> "a", () -> "a");
    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);
    assertThat(asked).hasValue(0);

    experiment.run(() -> "a", () -> "~a");
    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.IGNORED);
    assertThat(result.reason()).contains("ignore rule 2");
    assertThat(asked).hasValue(1);

    experiment.run(() -> "a", () -> "b");
    assertThat(published.next().verdict()).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void aCandidateThatThrowsWhileTheControlReturnsFailed() throws Exception {
    builder()
        .build()
        .run(
            () -> "a",
            () -> {
              throw new IllegalStateException("boom");
            });

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.CANDIDATE_FAILED);
    assertThat(result.reason()).contains("IllegalStateException: boom");
    assertThat(result.candidateError()).hasMessage("boom");
  }

  @Test
  void theControlsExceptionReachesTheCallerAsItIs() throws Exception {
    IOException thrown = new IOException("disk");
    Experiment<String> experiment = builder().build();

    assertThatThrownBy(
            () ->
                experiment.run(
                    () -> {
                      throw thrown;
                    },
                    () -> "a"))
        .isSameAs(thrown);

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(result.reason()).contains("control threw java.io.IOException: disk");
    assertThat(result.controlError()).isSameAs(thrown);
  }

  @Test
  void exceptionsOfTheSameClassAndMessageMatchByDefault() throws Exception {
    Experiment<String> experiment = builder().build();

    assertThatThrownBy(
            () ->
                experiment.run(
                    () -> {
                      throw new IOException("x");
                    },
                    () -> {
                      throw new IOException("x");
                    }))
        .hasMessage("x");
    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);

    assertThatThrownBy(
            () ->
                experiment.run(
                    () -> {
                      throw new IOException("x");
                    },
                    () -> {
                      throw new IOException("y");
                    }))
        .hasMessage("x");
    assertThat(published.next().verdict()).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void compareErrorsDecidesWhenBothThrow() throws Exception {
    Experiment<String> experiment =
        builder().compareErrors((a, b) -> a.getClass() == b.getClass()).build();

    assertThatThrownBy(
        () ->
            experiment.run(
                () -> {
                  throw new IOException("x");
                },
                () -> {
                  throw new IOException("y");
                }));

    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);
  }

  @Test
  void compareDecidesWhetherValuesMatch() throws Exception {
    Experiment<String> experiment = builder().compare(String::equalsIgnoreCase).build();

    experiment.run(() -> "a", () -> "A");

    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);
  }

  @Test
  void aCandidatePastTheTimeoutIsInterruptedAndTimedOut() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    Experiment<String> experiment = builder().timeout(Duration.ofMillis(20)).build();

    assertThat(
            experiment.run(
                () -> "a",
                () -> {
                  try {
                    never.await();
                  } catch (InterruptedException e) {
                    interrupted.complete(true);
                  }
                  return "late";
                }))
        .isEqualTo("a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.CANDIDATE_TIMEOUT);
    assertThat(result.reason()).contains("PT0.02S");
    assertThat(result.candidateNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    assertThat(interrupted.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(published.results.poll(50, TimeUnit.MILLISECONDS)).isNull(); // judged once
  }

  @Test
  void runIfFalseSkipsTheCandidate() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    Experiment<String> experiment = builder().runIf(() -> false).build();

    assertThat(experiment.run(() -> "a", () -> "b" + ran.incrementAndGet())).isEqualTo("a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(result.reason()).isEqualTo("runIf said no");
    assertThat(result.candidateNanos()).isEqualTo(-1);
    assertThat(ran).hasValue(0);
  }

  @Test
  void aFullLaneSkipsTheCandidateWithoutQueueingIt() throws Exception {
    BoundedExecutor lane =
        runtime.brownout.executor(
            "candidates", ExecutorConfig.builder().maxRunning(1).maxQueued(0).build());
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger secondRan = new AtomicInteger();
    Experiment<String> experiment = builder().lane(lane).timeout(Duration.ofSeconds(30)).build();

    experiment.run(
        () -> "a",
        () -> {
          started.countDown();
          release.await();
          return "a";
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(experiment.run(() -> "b", () -> "b" + secondRan.incrementAndGet())).isEqualTo("b");

    Result<String> skipped = published.next();
    assertThat(skipped.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(skipped.reason()).contains("executor 'candidates'").contains("saturated");
    assertThat(skipped.controlValue()).isEqualTo("b");
    release.countDown();
    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);
    assertThat(secondRan).hasValue(0);
    assertThat(lane.rejected()).isEqualTo(1);
  }

  @Test
  void theBrownoutLevelShedsTheExperimentAsSkipped() throws Exception {
    Experiment<String> experiment = builder(runtime.feature(Priority.P4, Switch.on())).build();
    AtomicInteger ran = new AtomicInteger();
    runtime.features.setLevel(1, "load test");

    assertThat(experiment.run(() -> "a", () -> "b" + ran.incrementAndGet())).isEqualTo("a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(result.reason()).contains("brownout level 1 sheds P4");
    assertThat(ran).hasValue(0);

    runtime.features.setLevel(0, "load test over");
    experiment.run(() -> "a", () -> "a");
    assertThat(published.next().verdict()).isEqualTo(Verdict.MATCH);
  }

  @Test
  void aSwitchedOffExperimentRunsOnlyTheControlAndPublishesNothing() throws Exception {
    Feature feature = runtime.feature(Priority.P3, Switch.off("not yet"));
    AtomicInteger ran = new AtomicInteger();
    Experiment<String> experiment = builder(feature).build();
    runtime.features.setLevel(4, "even shed"); // OFF by its switch: not a skip

    for (int i = 0; i < 100; i++) {
      assertThat(experiment.run(i, () -> "a", () -> "b" + ran.incrementAndGet())).isEqualTo("a");
      assertThat(experiment.run(() -> "a", () -> "b" + ran.incrementAndGet())).isEqualTo("a");
    }

    assertThat(ran).hasValue(0);
    assertThat(published.results).isEmpty();
  }

  @Test
  void aKeyedRolloutSamplesTheKeysTheFeatureAdmits() throws Exception {
    Feature feature = runtime.feature(Priority.P3, Switch.rollout(30));
    Experiment<String> experiment = builder(feature).onCallerThread().build();
    List<Integer> sampled = new ArrayList<>();
    List<Integer> admitted = new ArrayList<>();

    for (int key = 0; key < 200; key++) {
      int k = key;
      experiment.run(
          key,
          () -> "a",
          () -> {
            sampled.add(k);
            return "a";
          });
      if (feature.isEnabled(key)) {
        admitted.add(key);
      }
    }

    assertThat(sampled).isEqualTo(admitted).hasSizeBetween(30, 90);
  }

  @Test
  void aNumericKeySamplesAsTheFeatureAdmitsIt() throws Exception {
    Feature feature = runtime.feature(Priority.P3, Switch.rollout(30));
    AtomicInteger sampled = new AtomicInteger();
    int admitted = 0;
    Experiment<String> experiment = builder(feature).onCallerThread().build();

    for (long key = 0; key < 200; key++) {
      experiment.run(key, () -> "a", () -> "a" + sampled.incrementAndGet());
      admitted += feature.isEnabled(key) ? 1 : 0;
    }

    assertThat(sampled).hasValue(admitted);
    assertThat(admitted).isBetween(30, 90);
  }

  @Test
  void callsWithoutAKeyAreSampledAtRandomInTheRolloutShare() throws Exception {
    AtomicInteger sampled = new AtomicInteger();
    Experiment<String> experiment =
        builder(runtime.feature(Priority.P3, Switch.rollout(50))).onCallerThread().build();

    for (int i = 0; i < 400; i++) {
      experiment.run(() -> "a", () -> "a" + sampled.incrementAndGet());
    }

    assertThat(sampled.get()).as("200 expected, sigma 10").isBetween(140, 260);
  }

  @Test
  void aShedRolloutSkipsOnlyTheShareItWouldHaveSampled() throws Exception {
    Experiment<String> experiment =
        builder(runtime.feature(Priority.P4, Switch.rollout(50))).onCallerThread().build();
    runtime.features.setLevel(1, "load test");

    for (int i = 0; i < 400; i++) {
      assertThat(experiment.run(() -> "a", () -> "b")).isEqualTo("a");
    }

    assertThat(published.results).allMatch(r -> r.verdict() == Verdict.SKIPPED);
    assertThat(published.results.size()).as("200 expected, sigma 10").isBetween(140, 260);
  }

  @Test
  void cleanChangesWhatIsPublishedNotWhatIsCompared() throws Exception {
    Experiment<String> experiment = builder().clean(value -> value.substring(0, 1)).build();

    experiment.run(() -> "a-secret", () -> "a-other");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(result.controlValue()).isEqualTo("a");
    assertThat(result.candidateValue()).isEqualTo("a");
  }

  @Test
  void everyResultCarriesTheContextAndBothDurations() throws Exception {
    Experiment<String> experiment = builder().context("version", "2.1").build();

    experiment.run(() -> "a", () -> "a");

    Result<String> result = published.next();
    assertThat(result.context()).isEqualTo(Map.of("version", "2.1"));
    assertThat(result.controlNanos()).isNotNegative();
    assertThat(result.candidateNanos()).isNotNegative();
  }

  @Test
  void aThrowingCompareIsAMismatchCountedAsAHookError() throws Exception {
    Experiment<String> experiment =
        builder()
            .compare(
                (a, b) -> {
                  throw new IllegalStateException("compare bug");
                })
            .build();

    assertThat(experiment.run(() -> "a", () -> "a")).isEqualTo("a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(result.reason()).contains("compare threw");
    assertThat(errors("compare")).isEqualTo(1);
  }

  @Test
  void aThrowingCleanPublishesNullAndIsCounted() throws Exception {
    Experiment<String> experiment =
        builder()
            .clean(
                value -> {
                  throw new IllegalStateException("clean bug");
                })
            .build();

    experiment.run(() -> "a", () -> "a");

    Result<String> result = published.next();
    assertThat(result.verdict()).isEqualTo(Verdict.MATCH);
    assertThat(result.controlValue()).isNull();
    assertThat(errors("clean")).isEqualTo(2);
  }

  @Test
  void aThrowingPublisherIsCountedAndTheCallerUnaffected() throws Exception {
    CompletableFuture<Result<String>> seen = new CompletableFuture<>();
    Experiment<String> experiment =
        Experiment.<String>builder(runtime.brownout, runtime.feature())
            .publisher(
                result -> {
                  seen.complete(result);
                  throw new IllegalStateException("publisher bug");
                })
            .build();

    assertThat(experiment.run(() -> "a", () -> "a")).isEqualTo("a");

    assertThat(seen.get(10, TimeUnit.SECONDS).verdict()).isEqualTo(Verdict.MATCH);
    org.awaitility.Awaitility.await().until(() -> errors("publisher") == 1);
  }

  @Test
  void aThrowingRunIfSkipsAndIsCounted() throws Exception {
    Experiment<String> experiment =
        builder()
            .runIf(
                () -> {
                  throw new IllegalStateException("runIf bug");
                })
            .build();

    assertThat(experiment.run(() -> "a", () -> "a")).isEqualTo("a");

    assertThat(published.next().verdict()).isEqualTo(Verdict.SKIPPED);
    assertThat(errors("runIf")).isEqualTo(1);
  }

  @Test
  void theCandidateRunsOffTheCallersThreadAndKnowsItIsTheCandidate() throws Exception {
    CompletableFuture<Thread> candidateThread = new CompletableFuture<>();
    CompletableFuture<Boolean> inCandidate = new CompletableFuture<>();
    Experiment<String> experiment = builder().build();

    experiment.run(
        () -> {
          assertThat(Experiment.inCandidate()).isFalse();
          return "a";
        },
        () -> {
          candidateThread.complete(Thread.currentThread());
          inCandidate.complete(Experiment.inCandidate());
          return "a";
        });

    assertThat(candidateThread.get(10, TimeUnit.SECONDS)).isNotSameAs(Thread.currentThread());
    assertThat(inCandidate.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Experiment.inCandidate()).isFalse();
  }

  @Test
  void onCallerThreadRunsTheCandidateInline() throws Exception {
    Thread caller = Thread.currentThread();
    List<Thread> seen = new ArrayList<>();
    Experiment<String> experiment = builder().onCallerThread().build();

    experiment.run(
        () -> "a",
        () -> {
          seen.add(Thread.currentThread());
          assertThat(Experiment.inCandidate()).isTrue();
          return "a";
        });

    assertThat(seen).containsExactly(caller);
    assertThat(published.results.poll().verdict()).isEqualTo(Verdict.MATCH);
    assertThat(Experiment.inCandidate()).isFalse();
  }

  @Test
  void onCallerThreadJudgesAnOverrunningCandidateTimedOutAfterIt() throws Exception {
    AtomicLong nanos = new AtomicLong();
    try (Brownout brownout =
        Brownout.builder()
            .ticker(nanos::get)
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build()) {
      Feature feature = Features.of(brownout).feature("slow.candidate");
      Experiment<String> experiment =
          Experiment.<String>builder(brownout, feature)
              .onCallerThread()
              .timeout(Duration.ofMillis(100))
              .publisher(published::accept)
              .build();

      assertThat(
              experiment.run(
                  () -> "a",
                  () -> {
                    nanos.addAndGet(Duration.ofMillis(101).toNanos());
                    return "a";
                  }))
          .isEqualTo("a");

      Result<String> result = published.results.poll();
      assertThat(result.verdict()).isEqualTo(Verdict.CANDIDATE_TIMEOUT);
      assertThat(result.candidateNanos()).isEqualTo(Duration.ofMillis(101).toNanos());
    }
  }

  @Test
  void testModeThrowsOnAMismatchWithADiff() {
    Experiment<List<String>> experiment =
        Experiment.<List<String>>builder(runtime.brownout, runtime.feature())
            .testMode(true)
            .build();

    assertThatThrownBy(
            () -> experiment.run(() -> List.of("a", "b", "c"), () -> List.of("a", "c", "b")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MISMATCH: values differ")
        .hasMessageContaining("control:   [a, b, c]")
        .hasMessageContaining("candidate: [a, c, b]")
        .hasMessageContaining("they differ at:\n    [order]: [a, b, c] vs [a, c, b]");
  }

  @Test
  void testModeLetsMatchesThrough() throws Exception {
    Experiment<String> experiment = builder().testMode(true).build();

    assertThat(experiment.run(() -> "a", () -> "a")).isEqualTo("a");
  }

  @Test
  void theTestModePropertyTurnsTestModeOn() {
    System.setProperty(Experiment.TEST_MODE_PROPERTY, "true");
    Experiment<String> experiment;
    try {
      experiment = builder().build();
    } finally {
      System.clearProperty(Experiment.TEST_MODE_PROPERTY);
    }

    assertThatThrownBy(() -> experiment.run(() -> "a", () -> "b"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("^ first difference at character 0");
  }

  @Test
  void verdictsAndDurationsAreMetered() throws Exception {
    Experiment<String> experiment = builder().build();

    experiment.run(() -> "a", () -> "a");
    published.next();
    experiment.run(() -> "a", () -> "b");
    published.next();

    var registry = runtime.registry;
    String name = experiment.name();
    assertThat(
            registry
                .get("brownout.experiment.verdicts")
                .tags("experiment", name, "verdict", "MATCH")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("brownout.experiment.verdicts")
                .tags("experiment", name, "verdict", "MISMATCH")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("brownout.experiment.duration")
                .tags("experiment", name, "arm", "control")
                .functionTimer()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("brownout.experiment.duration")
                .tags("experiment", name, "arm", "candidate")
                .functionTimer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void aSecondExperimentOfTheSameFeatureIsRefused() {
    Feature feature = runtime.feature();
    Experiment.<String>builder(runtime.brownout, feature).build();

    assertThatThrownBy(() -> Experiment.<String>builder(runtime.brownout, feature).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("experiment '" + feature.name() + "' already exists");
  }

  @Test
  void badSettingsAreNamed() {
    try (TestRuntime other = new TestRuntime()) {
      Feature foreign = other.feature();
      assertThatThrownBy(() -> Experiment.builder(runtime.brownout, foreign))
          .hasMessage(
              "experiment.feature must be a feature of the experiment's runtime, but was "
                  + foreign.name());
    }
    assertThatThrownBy(() -> builder().timeout(Duration.ZERO))
        .hasMessage("experiment.timeout must be a positive duration, but was PT0S");
    assertThatThrownBy(() -> builder().mismatchLogInterval(Duration.ofSeconds(-1)))
        .hasMessage(
            "experiment.mismatchLogInterval must be zero or a positive duration, but was PT-1S");
  }

  private double errors(String hook) {
    return runtime
        .registry
        .get("brownout.experiment.errors")
        .tag("hook", hook)
        .functionCounter()
        .count();
  }
}
