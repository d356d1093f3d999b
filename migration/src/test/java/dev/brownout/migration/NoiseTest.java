package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.migration.ExperimentReport.Finding;
import dev.brownout.migration.ExperimentReport.PathReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Noise cancellation: what the old path differs from itself in is not a mismatch. */
class NoiseTest {

  record Comment(long id, String author) {}

  /** A page of comments, rendered at a time that differs on every call: the noise. */
  record Page(List<Comment> comments, long renderedAt) {}

  private final TestRuntime runtime = new TestRuntime();
  private final TestRuntime.Published<Page> published = new TestRuntime.Published<>();
  private final AtomicLong clock = new AtomicLong();

  @AfterEach
  void close() {
    runtime.close();
  }

  private Page render(List<Comment> comments) {
    return new Page(comments, clock.incrementAndGet());
  }

  private static List<Comment> comments(long post) {
    return List.of(new Comment(post, "ann"), new Comment(post + 1, "bo"));
  }

  /** The new path reverses the comments of every third post: a real difference. */
  private static List<Comment> reordered(long post) {
    List<Comment> comments = new ArrayList<>(comments(post));
    if (post % 3 == 0) {
      java.util.Collections.reverse(comments);
    }
    return comments;
  }

  private Experiment.Builder<Page> builder() {
    return Experiment.<Page>builder(runtime.brownout, runtime.feature())
        .onCallerThread()
        .publisher(published::accept);
  }

  @Test
  void aFieldThatDiffersBetweenTwoOldRunsIsNoiseAndAReorderingIsReal() throws Exception {
    Experiment<Page> experiment = builder().noise(1.0).build();

    List<Result<Page>> results = new ArrayList<>();
    for (long post = 1; post <= 300; post++) {
      long p = post;
      experiment.run(() -> render(comments(p)), () -> render(reordered(p)));
      results.add(published.next());
    }

    ExperimentReport report = experiment.report();
    assertThat(report.compared()).isEqualTo(300);
    assertThat(report.noiseSamples()).isEqualTo(300);
    assertThat(report.paths())
        .extracting(
            PathReport::path, PathReport::oldVsNew, PathReport::oldVsOld, PathReport::finding)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("renderedAt", 300L, 300L, Finding.NOISE),
            org.assertj.core.groups.Tuple.tuple("comments[order]", 100L, 0L, Finding.REAL));
    // Late in the run, with the noise known: a reordered page is a mismatch, any other only noise.
    Result<Page> reorderedLate = results.get(299); // post 300
    Result<Page> onlyNoiseLate = results.get(297); // post 298
    assertThat(reorderedLate.verdict()).isEqualTo(Verdict.MISMATCH);
    assertThat(reorderedLate.reason()).isEqualTo("values differ at comments[order], renderedAt");
    assertThat(onlyNoiseLate.verdict()).isEqualTo(Verdict.IGNORED);
    assertThat(onlyNoiseLate.reason()).isEqualTo("values differ only in noise at renderedAt");
    // Before the least number of noise samples, nothing is called noise.
    assertThat(results.get(0).verdict()).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  void withoutNoiseSamplesEveryDifferenceStaysAMismatch() throws Exception {
    Experiment<Page> experiment = builder().build();

    for (long post = 1; post <= 30; post++) {
      long p = post;
      experiment.run(() -> render(comments(p)), () -> render(comments(p)));
      assertThat(published.next().verdict()).isEqualTo(Verdict.MISMATCH);
    }
    assertThatThrownBy(experiment::report)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("noise(share)");
  }

  @Test
  void samplesShowTypesUnlessValuesAreKeptAndThenOnlyCleanedValues() throws Exception {
    Experiment<Page> redacted = builder().noise(1.0).build();
    Experiment<Page> kept =
        Experiment.<Page>builder(runtime.brownout, runtime.feature())
            .onCallerThread()
            .noise(1.0)
            .keepValues(true)
            .clean(page -> page == null ? null : new Page(page.comments(), -1))
            .build();

    redacted.run(() -> render(comments(3)), () -> render(reordered(3)));
    kept.run(() -> render(comments(3)), () -> render(reordered(3)));

    assertThat(redacted.report().paths())
        .flatExtracting(PathReport::samples)
        .contains(
            "old vs new, comments[order]: List[2] vs List[2]",
            "old vs old, renderedAt: Long vs Long")
        .noneMatch(sample -> sample.contains("ann"));
    assertThat(kept.report().paths())
        .flatExtracting(PathReport::samples)
        .contains(
            "old vs new, comments[order]: [Comment[id=3, author=ann], Comment[id=4, author=bo]]"
                + " vs [Comment[id=4, author=bo], Comment[id=3, author=ann]]",
            "old vs new, renderedAt: (equal once cleaned)");
    assertThat(kept.report().paths())
        .allSatisfy(path -> assertThat(path.samples()).hasSizeLessThanOrEqualTo(3));
  }

  @Test
  void theSecondOldRunIsOnTheLaneAndSeenAsInsideTheCandidate() throws Exception {
    BoundedExecutor lane =
        runtime.brownout.executor(
            "noise-lane", ExecutorConfig.builder().maxRunning(2).maxQueued(0).build());
    Experiment<Page> experiment =
        Experiment.<Page>builder(runtime.brownout, runtime.feature()).lane(lane).noise(1.0).build();
    Thread caller = Thread.currentThread();
    List<Boolean> oldRunsInCandidate = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> oldThreads = java.util.Collections.synchronizedList(new ArrayList<>());

    Page page =
        experiment.run(
            () -> {
              oldRunsInCandidate.add(Experiment.inCandidate());
              oldThreads.add(Thread.currentThread());
              return render(comments(1));
            },
            () -> render(comments(1)));

    assertThat(page.renderedAt()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> experiment.report().noiseSamples() == 1);
    assertThat(oldRunsInCandidate).containsExactly(false, true);
    assertThat(oldThreads.get(0)).isSameAs(caller);
    assertThat(oldThreads.get(1)).isNotSameAs(caller);
  }

  @Test
  void aSecondRunThatFindsTheLaneFullOrThrowsOrOverrunsIsLost() throws Exception {
    BoundedExecutor lane =
        runtime.brownout.executor(
            "one-worker", ExecutorConfig.builder().maxRunning(1).maxQueued(0).build());
    Experiment<Page> full =
        Experiment.<Page>builder(runtime.brownout, runtime.feature())
            .lane(lane)
            .noise(1.0)
            .publisher(published::accept)
            .build();
    CountDownLatch release = new CountDownLatch(1);

    // The candidate takes the only worker; the second old run finds no room.
    full.run(
        () -> render(comments(1)),
        () -> {
          release.await(10, TimeUnit.SECONDS);
          return render(comments(1));
        });
    assertThat(full.report().noiseSamplesLost()).isEqualTo(1);
    release.countDown();
    published.next();

    AtomicBoolean second = new AtomicBoolean();
    Experiment<Page> throwing = builder().noise(1.0).build();
    throwing.run(
        () -> {
          if (second.getAndSet(true)) {
            throw new IllegalStateException("second run");
          }
          return render(comments(1));
        },
        () -> render(comments(1)));
    assertThat(throwing.report().noiseSamplesLost()).isEqualTo(1);
    assertThat(throwing.report().noiseSamples()).isZero();

    CountDownLatch never = new CountDownLatch(1);
    AtomicBoolean secondSlow = new AtomicBoolean();
    Experiment<Page> overrunning =
        Experiment.<Page>builder(runtime.brownout, runtime.feature())
            .timeout(Duration.ofMillis(20))
            .noise(1.0)
            .build();
    overrunning.run(
        () -> {
          if (secondSlow.getAndSet(true)) {
            never.await();
          }
          return render(comments(1));
        },
        () -> render(comments(1)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> overrunning.report().noiseSamplesLost() == 1);
  }

  @Test
  void pathsNeverBecomeTags() throws Exception {
    Experiment<Page> experiment = builder().noise(1.0).build();
    for (long post = 1; post <= 20; post++) {
      long p = post;
      experiment.run(() -> render(comments(p)), () -> render(reordered(p)));
    }

    for (Meter meter : runtime.registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertThat(tag.getValue()).doesNotContain("comments").doesNotContain("renderedAt");
      }
    }
  }

  @Test
  void aBadShareNamesTheSetting() {
    assertThatThrownBy(() -> builder().noise(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("experiment.noise")
        .hasMessageContaining("0.0");
    assertThatThrownBy(() -> builder().noise(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.5");
  }

  @Test
  void theRuleTellsNoiseFromRealDifferencesAndSaysWhenItCannot() {
    // A timestamp: differs on every call, old against new and old against old.
    assertThat(Noise.finding(100, 100, 10, 10)).isEqualTo(Finding.NOISE);
    // An ordering bug in 30% of calls, never seen between two old runs.
    assertThat(Noise.finding(30, 100, 0, 20)).isEqualTo(Finding.REAL);
    // A field that differs in about half the calls either way (the order of a hash set).
    assertThat(Noise.finding(52, 100, 25, 50)).isEqualTo(Finding.NOISE);
    // Too few noise samples to call anything.
    assertThat(Noise.finding(100, 100, 9, 9)).isEqualTo(Finding.UNSETTLED);
    // Rare, and never seen between two old runs: not yet clearly real, and never noise.
    assertThat(Noise.finding(1, 1000, 0, 10)).isEqualTo(Finding.UNSETTLED);
    // Seen once old against old, but in half the calls old against new: not noise.
    assertThat(Noise.finding(50, 100, 1, 10)).isEqualTo(Finding.UNSETTLED);
    assertThat(Noise.finding(500, 1000, 1, 100)).isEqualTo(Finding.REAL);
  }
}
