package dev.brownout.demo.docs;

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
import dev.brownout.migration.Experiment;
import dev.brownout.migration.ExperimentReport;
import dev.brownout.migration.Result;
import dev.brownout.migration.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The examples of docs/migration.md, run. */
class MigrationPageTest {

  private static final Logger log = LoggerFactory.getLogger(MigrationPageTest.class);

  private final Brownout brownout = Brownout.builder()
      .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test settings"))
      .build();
  private final Features features = Features.of(brownout);
  private final BlockingQueue<Result<List<Comment>>> results = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    brownout.close();
  }

  record Comment(long id, String author, String text, Instant fetchedAt) {
    Comment withoutFetchTime() {
      return new Comment(id, author, text, Instant.EPOCH);
    }
  }

  /** The old store and the new one; the new one orders comments differently. */
  static final class CommentStore {
    private static final AtomicLong FETCHES = new AtomicLong();
    private final boolean newest;

    CommentStore(boolean newest) {
      this.newest = newest;
    }

    List<Comment> comments(long postId) {
      if (postId < 0) {
        markRead(-postId);
      }
      List<Comment> comments = List.of(
          new Comment(1, "ann", "first", fetchedAt()), new Comment(2, "bob", "second", fetchedAt()));
      return newest ? comments.stream().sorted(Comparator.comparingLong(Comment::id).reversed()).toList()
          : comments;
    }

    /** A fetch time that differs on every fetch, as a real clock's does. */
    private static Instant fetchedAt() {
      return Instant.ofEpochMilli(FETCHES.incrementAndGet());
    }

    void markRead(long postId) {
      // docs:begin
      if (Experiment.inCandidate()) {
        throw new IllegalStateException("writes are refused inside an experiment's candidate");
      }
      // docs:end
    }
  }

  private final CommentStore oldStore = new CommentStore(false);
  private final CommentStore newStore = new CommentStore(true);

  private boolean sameComments(List<Comment> a, List<Comment> b) {
    return a.stream().map(Comment::withoutFetchTime).toList()
        .equals(b.stream().map(Comment::withoutFetchTime).toList());
  }

  @Test
  void anExperimentComparesTheNewStoreWithTheOld() throws Exception {
    long postId = 7;
    // docs:begin
    Feature comparing = Features.of(brownout).define("comments.new-store")
        .priority(Priority.P4)                       // the first thing a brownout sheds
        .initially(Switch.rollout(5))                // 5 % of posts; a switch file or Redis can change it
        .register();
    Experiment<List<Comment>> experiment = Experiment.<List<Comment>>builder(brownout, comparing)
        .timeout(Duration.ofMillis(200))
        .compare(this::sameComments)                 // fetch times always differ: not a mismatch
        .publisher(result -> log.info("{}", result))
        .build();

    List<Comment> comments = experiment.run(postId, () -> oldStore.comments(postId), () -> newStore.comments(postId));
    // docs:end
    assertThat(comments).extracting(Comment::id).containsExactly(1L, 2L);
  }

  @Test
  void theOptions() throws Exception {
    long postId = 7;
    features.define("comments.new-store").priority(Priority.P4).register();
    Feature comparing = features.feature("comments.new-store");
    BoundedExecutor executor = brownout.executor("background", ExecutorConfig.builder()
        .maxRunning(4).maxQueued(0).partition("experiments", 50).build());
    // docs:begin
    Experiment<List<Comment>> experiment = Experiment.<List<Comment>>builder(brownout, comparing)
        .lane(executor.partition("experiments"))     // default: the runtime's own lane, 2 workers, no queue
        .timeout(Duration.ofMillis(200))             // default 1 s; the candidate is interrupted past it
        .compare(this::sameComments)                 // default Objects.equals
        .ignore((old, candidate) -> old.size() != candidate.size())   // asked only on a mismatch: IGNORED
        .clean(list -> list.stream().map(Comment::withoutFetchTime).toList())   // what the publisher sees
        .runIf(() -> !executor.isShutdown())         // false: SKIPPED, "runIf said no"
        .context("store", "comments-v2")
        .publisher(results::add)
        .build();
    // docs:end
    experiment.run(postId, () -> oldStore.comments(postId), () -> newStore.comments(postId));
    Result<List<Comment>> result = results.poll(10, TimeUnit.SECONDS);
    assertThat(result).isNotNull();
    assertThat(result.verdict()).as("the new store orders comments newest first").isEqualTo(Verdict.MISMATCH);
    assertThat(result.candidateValue()).allMatch(c -> c.fetchedAt().equals(Instant.EPOCH));
    assertThat(result.context()).containsEntry("store", "comments-v2");
  }

  @Test
  void testModeShowsTheDifference() {
    long postId = 7;
    Feature comparing = features.feature("comments.new-store");
    Experiment<List<Long>> experiment =
        Experiment.<List<Long>>builder(brownout, comparing).testMode(true).build();
    // docs:begin
    assertThatThrownBy(() -> experiment.run(
            () -> ids(oldStore.comments(postId)), () -> ids(newStore.comments(postId))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[order]: [1, 2] vs [2, 1]");
    // docs:end
  }

  private static List<Long> ids(List<Comment> comments) {
    return comments.stream().map(Comment::id).toList();
  }

  @Test
  void anAdapterRefusesWritesInTheCandidate() throws Exception {
    Feature comparing = features.feature("comments.new-store");
    Experiment<List<Comment>> experiment =
        Experiment.<List<Comment>>builder(brownout, comparing).publisher(results::add).build();
    experiment.run(() -> oldStore.comments(1), () -> newStore.comments(-1));
    Result<List<Comment>> result = results.poll(10, TimeUnit.SECONDS);
    assertThat(result).isNotNull();
    assertThat(result.verdict()).isEqualTo(Verdict.CANDIDATE_FAILED);
    assertThat(result.reason()).contains("writes are refused");
  }

  @Test
  void noiseCancellationTellsTheFetchTimeFromTheOrder() throws Exception {
    Feature comparing = features.feature("comments.new-store");
    // docs:begin
    Experiment<List<Comment>> experiment = Experiment.<List<Comment>>builder(brownout, comparing)
        .noise(0.1)                                  // 1 sampled call in 10 runs the old path twice
        .publisher(results::add)
        .build();
    // docs:end
    for (long postId = 1; postId <= 50_000 && experiment.report().noiseSamples() < 20; postId++) {
      long post = postId;
      experiment.run(() -> oldStore.comments(post), () -> newStore.comments(post));
      assertThat(results.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> experiment.report().noiseSamples() >= 20);
    // docs:begin
    ExperimentReport report = experiment.report();
    for (ExperimentReport.PathReport path : report.paths()) {
      log.info("{}: {} of {} calls old vs new, {} of {} old vs old: {}", path.path(),
          path.oldVsNew(), report.compared(), path.oldVsOld(), report.noiseSamples(), path.finding());
    }
    // docs:end
    assertThat(report.paths())
        .filteredOn(path -> path.path().equals("[*].fetchedAt"))
        .singleElement()
        .extracting(ExperimentReport.PathReport::finding)
        .isEqualTo(ExperimentReport.Finding.NOISE);
    assertThat(report.paths())
        .filteredOn(path -> path.path().equals("[*].id"))
        .singleElement()
        .extracting(ExperimentReport.PathReport::finding)
        .isEqualTo(ExperimentReport.Finding.REAL);
  }
}
