package dev.brownout.demo;

import dev.brownout.core.Brownout;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.ExperimentReport;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftCriteria;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comments backend's migration from v1 to its rewrite, v2, in the order a team does it (see
 * {@link CommentsBuild} for the builds): an experiment compares v2.0 with v1 on live reads, the
 * reader always getting v1's answer, and finds that v2.0 orders some comments differently, while
 * the rendering time, which differs between any two reads, is noise; then a shift moves a growing
 * share of questions to v2.1, judged against v1 in the same window, and rolls it back by itself
 * when its reads turn out slower; then a shift to v2.2 goes to every question.
 *
 * <p>The criteria fit a demo's minute rather than a week: steps of 25, 50 and 100 % of the
 * questions, a look every {@value #CHECK_MILLIS} ms once each path has {@value #MIN_CALLS} reads in
 * the step, three looks a step. Latency is judged at the 90th percentile, which a regression of a
 * share of reads moves, where the 99th would mostly measure the machine's hiccups.
 */
final class CommentsMigration {

  /** The feature that samples the experiment: OFF until the scenario (or an operator) starts it. */
  static final String EXPERIMENT = "migration.comments-v2";

  static final long CHECK_MILLIS = 500;
  static final int MIN_CALLS = 30;

  /** The share of compared reads that also read v1 again, to measure the noise. */
  static final double NOISE_SHARE = 0.5;

  static final ShiftCriteria CRITERIA =
      ShiftCriteria.builder()
          .minCalls(MIN_CALLS)
          .looks(3)
          .latencyQuantile(0.9)
          .maxLatencyRatio(1.3)
          .minLatencyDelta(Duration.ofMillis(15))
          .latencyStrikes(3)
          .build();

  private static final Logger LOG = LoggerFactory.getLogger(CommentsMigration.class);

  private final Brownout brownout;
  private final Features features;
  private final Downstream downstream;
  private final Experiment<CommentThread> experiment;
  private final Map<CommentsBuild, Shift<CommentThread>> shifts = new ConcurrentHashMap<>();
  private final List<Shift<CommentThread>> started = new CopyOnWriteArrayList<>();

  /** The shift under way and its build; null until one starts. */
  private volatile Underway current;

  private record Underway(Shift<CommentThread> shift, CommentsBuild build) {}

  CommentsMigration(Brownout brownout, Downstream downstream) {
    this.brownout = brownout;
    this.features = Features.of(brownout);
    this.downstream = downstream;
    Feature sampling =
        features
            .define(EXPERIMENT)
            .priority(Priority.P4) // the first thing the level sheds: it only doubles reads
            .initially(Switch.off("not started"))
            .register();
    this.experiment =
        Experiment.<CommentThread>builder(brownout, sampling)
            .lane(
                brownout.executor(
                    "comments-v2-compare",
                    ExecutorConfig.builder().maxRunning(16).maxQueued(0).build()))
            .timeout(Duration.ofMillis(250))
            .noise(NOISE_SHARE)
            .build();
  }

  /**
   * A question's comments: through the shift under way, if any (routed by question, so that a
   * question's page reads one build); else from v1, compared with v2.0 while the experiment runs.
   */
  CommentThread comments(int question) throws IOException {
    Underway underway = current;
    if (underway == null) {
      return experiment.run(
          question,
          () -> downstream.comments(CommentsBuild.V1, question),
          () -> downstream.comments(CommentsBuild.V2_0, question));
    }
    try {
      return underway
          .shift()
          .call(
              question,
              () -> downstream.comments(CommentsBuild.V1, question),
              () -> downstream.comments(underway.build(), question));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("comments of question " + question, e);
    }
  }

  /** The build a shift named {@code name} moves reads to; the inverse of {@link #shiftName}. */
  static CommentsBuild buildOf(String name) {
    for (CommentsBuild build : CommentsBuild.values()) {
      if (build != CommentsBuild.V1 && shiftName(build).equals(name)) {
        return build;
      }
    }
    throw new IllegalArgumentException("no build is shifted by '" + name + "'");
  }

  /** Starts comparing v2.0 with v1 on every read. */
  void startExperiment(String reason) {
    features.set(EXPERIMENT, Switch.on().because(reason), "migration");
  }

  void stopExperiment(String reason) {
    features.set(EXPERIMENT, Switch.off(reason), "migration");
  }

  /** What the experiment has found so far, field path by field path. */
  ExperimentReport report() {
    return experiment.report();
  }

  /**
   * Starts shifting reads to {@code build} at its first step: a new shift, named after it. The
   * shift under way, if any, must have been rolled back (its reads are all on v1 again); a build is
   * shifted once.
   *
   * @throws IllegalArgumentException for v1
   * @throws IllegalStateException if {@code build} was shifted already, or another shift is under
   *     way
   */
  synchronized Shift<CommentThread> startShift(CommentsBuild build, String reason) {
    if (build == CommentsBuild.V1) {
      throw new IllegalArgumentException("shift to a v2 build, not to v1");
    }
    Shift<CommentThread> existing = shifts.get(build);
    if (existing != null) {
      throw new IllegalStateException(
          "shift " + existing.name() + " started already; it is " + existing.state());
    }
    Underway underway = current;
    if (underway != null && underway.shift().state() != Shift.State.ROLLED_BACK) {
      throw new IllegalStateException(
          "shift "
              + underway.shift().name()
              + " is "
              + underway.shift().state()
              + ": roll it back before another starts");
    }
    Shift<CommentThread> shift =
        Shift.<CommentThread>builder(shiftName(build), brownout, features)
            .steps(25, 50, 100)
            .criteria(CRITERIA)
            .fallBackToOld(true) // reads: a failed v2 read is served by v1
            .checkEvery(Duration.ofMillis(CHECK_MILLIS))
            .build();
    LOG.info("shift '{}' started: {}", shift.name(), reason);
    shifts.put(build, shift);
    started.add(shift);
    current = new Underway(shift, build);
    return shift;
  }

  /** The shift's name for {@code build}: {@code comments-v2-1} for v2.1. */
  static String shiftName(CommentsBuild build) {
    return "comments-" + build.version().replace('.', '-');
  }

  /** The shift under way, if any. */
  Optional<Shift<CommentThread>> currentShift() {
    Underway underway = current;
    return underway == null ? Optional.empty() : Optional.of(underway.shift());
  }

  /** The shifts started, in order. */
  List<Shift<CommentThread>> shifts() {
    return List.copyOf(started);
  }

  /** The shift named {@code name}, if it was started. */
  Optional<Shift<CommentThread>> shift(String name) {
    return started.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
