package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import dev.brownout.core.LimiterConfig.Algorithm;
import dev.brownout.degradation.AdmissionSimulation.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The adaptive limiter, and the brownout level in front of it, before a simulated server (see
 * {@link AdmissionSimulation}): 100 workers, 10 ms a request, so a capacity of 10,000 requests a
 * second and a no-load latency of 8–12 ms. Every claim is checked over five seeds (arrivals and
 * service times drawn differently), not one run.
 */
class AdmissionSimulationTest {

  static LongStream seeds() {
    return LongStream.of(42, 7, 1_234, 99, 2_026);
  }

  private static final int WORKERS = 100;
  private static final Duration SERVICE = Duration.ofMillis(10);
  private static final double CAPACITY = WORKERS * 1e9 / SERVICE.toNanos();
  private static final long NO_LOAD_P99 = Duration.ofMillis(12).toNanos();

  private static LimiterConfig config(Algorithm algorithm) {
    return LimiterConfig.builder()
        .algorithm(algorithm)
        .limits(4, 20, 1_000)
        .minWindow(Duration.ofMillis(250))
        .build();
  }

  private static Brownout runtime(AdmissionSimulation sim) {
    return Brownout.builder()
        .ticker(sim::now)
        .config(ConfigSource.of(Map.of(Features.REFRESH_KEY, "0"), "test"))
        .build();
  }

  /** A server behind a limiter of {@code algorithm}. */
  private record Limited(AdmissionSimulation sim, Brownout runtime, Limiter limiter) {
    static Limited of(long seed, Algorithm algorithm, Duration clientTimeout) {
      AdmissionSimulation sim = new AdmissionSimulation(seed, WORKERS, SERVICE, clientTimeout);
      Brownout runtime = AdmissionSimulationTest.runtime(sim);
      Limiter limiter = runtime.limiter("sim", config(algorithm));
      sim.gate(AdmissionSimulation.limiter(limiter));
      return new Limited(sim, runtime, limiter);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void atThreeTimesCapacityTheLimiterHoldsLatencyAndGoodput(long seed) {
    Limited limited = Limited.of(seed, Algorithm.VEGAS, Duration.ofSeconds(1));
    limited.sim.arrivals(3 * CAPACITY);
    limited.sim.run(Duration.ofSeconds(20));
    Stats stats = limited.sim.run(Duration.ofSeconds(20));
    System.out.println(
        "seed "
            + seed
            + ": "
            + "vegas at 3x: "
            + stats
            + ", limit "
            + limited.limiter.limit()
            + ", "
            + limited.limiter.lastWindow());

    assertThat(stats.p99()).as("p99 of served requests").isLessThanOrEqualTo(2 * NO_LOAD_P99);
    assertThat(stats.goodput()).as("goodput").isGreaterThanOrEqualTo(0.9 * CAPACITY);
    assertThat(limited.limiter.limit())
        .as("limit")
        .isBetween((int) (0.8 * WORKERS), (int) (1.2 * WORKERS));
    Limiter.Window saturated = limited.limiter.lastWindow();
    assertThat(saturated.saturationInFlight())
        .as("the capacity learnt: the workers, by Little's law")
        .isBetween(0.95 * WORKERS, 1.05 * WORKERS);
    assertThat(saturated.busyInFlight()).isBetween(0.95 * WORKERS, 1.05 * WORKERS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void withoutALimiterLatencyGrowsWithoutBound(long seed) {
    AdmissionSimulation sim = new AdmissionSimulation(seed, WORKERS, SERVICE, Duration.ofHours(1));
    sim.arrivals(3 * CAPACITY);
    Stats first = sim.run(Duration.ofSeconds(5));
    Stats second = sim.run(Duration.ofSeconds(5));
    System.out.println("seed " + seed + ": " + "no limiter at 3x: " + first + " then " + second);

    assertThat(first.p99()).isGreaterThan(100 * NO_LOAD_P99);
    assertThat(second.p99()).isGreaterThan(2 * first.p99());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whenCapacityHalvesTheLimiterFollowsAndAFixedBulkheadLosesGoodput(long seed) {
    Duration clientTimeout = Duration.ofMillis(20);
    Limited limited = Limited.of(seed, Algorithm.VEGAS, clientTimeout);
    AdmissionSimulation fixed = new AdmissionSimulation(seed, WORKERS, SERVICE, clientTimeout);
    fixed.gate(AdmissionSimulation.bulkhead(WORKERS));
    List<Stats> after = new ArrayList<>();
    for (AdmissionSimulation sim : List.of(limited.sim, fixed)) {
      sim.arrivals(3 * CAPACITY);
      Stats before = sim.run(Duration.ofSeconds(20));
      sim.workers(-WORKERS / 2);
      sim.run(Duration.ofSeconds(20));
      after.add(sim.run(Duration.ofSeconds(20)));
      System.out.println(
          "seed "
              + seed
              + ": "
              + (sim == fixed ? "bulkhead" : "vegas")
              + ": before "
              + before
              + "; after "
              + after.get(after.size() - 1));
    }

    assertThat(after.get(0).goodput()).isGreaterThanOrEqualTo(0.9 * CAPACITY / 2);
    assertThat(after.get(1).goodput()).isLessThan(0.75 * CAPACITY / 2);
    // Vegas keeps 3 to 6 log10(limit) calls queued: a share of the limit that grows as capacity
    // shrinks (+6-12% at 100 workers, about +20% at 50).
    assertThat(limited.limiter.limit())
        .isBetween((int) (0.8 * WORKERS / 2), (int) (1.25 * WORKERS / 2));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underAStableOverloadTheLimitNeverCreeps(long seed) {
    for (Algorithm algorithm : new Algorithm[] {Algorithm.VEGAS, Algorithm.GRADIENT}) {
      Limited limited = Limited.of(seed, algorithm, Duration.ofSeconds(1));
      limited.sim.arrivals(3 * CAPACITY);
      limited.sim.run(Duration.ofSeconds(20));
      int highest = 0;
      int lowest = Integer.MAX_VALUE;
      int settled = 0;
      for (int second = 0; second < 120; second++) {
        limited.sim.run(Duration.ofSeconds(1));
        int limit = limited.limiter.limit();
        if (second == 10) {
          settled = limit;
        }
        if (second >= 10) { // slow start may overshoot at first; the limit has settled 30 s in
          highest = Math.max(highest, limit);
          lowest = Math.min(lowest, limit);
        }
      }
      System.out.println(
          "seed "
              + seed
              + ": "
              + algorithm
              + " over 120 s at 3x: limit "
              + lowest
              + ".."
              + highest
              + ", settled "
              + settled);
      assertThat(highest)
          .as(algorithm + " highest limit")
          .isLessThanOrEqualTo((int) (settled * 1.1) + 2);
    }
  }

  /**
   * After a quiet minute the limit sits at five times the few calls it saw; a step to 90% of
   * capacity is then refused only until slow start has doubled the limit past the step (a few
   * windows), not for the minute that growing by log10(limit) a window would take.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void afterAQuietSpellAStepInTrafficIsServedWithinSeconds(long seed) {
    Limited limited = Limited.of(seed, Algorithm.VEGAS, Duration.ofSeconds(1));
    limited.sim.arrivals(100);
    limited.sim.run(Duration.ofSeconds(60));
    int quiet = limited.limiter.limit();
    limited.sim.arrivals(0.9 * CAPACITY);
    Stats first = limited.sim.run(Duration.ofSeconds(5));
    Stats then = limited.sim.run(Duration.ofSeconds(20));
    System.out.println(
        "seed "
            + seed
            + ": "
            + "step after a quiet minute: limit "
            + quiet
            + ", first 5 s "
            + first
            + "; then "
            + then
            + ", limit "
            + limited.limiter.limit());

    assertThat(quiet).isLessThan(20);
    assertThat(first.refused()).as("refused in the first 5 s").isLessThan(first.arrived() / 10);
    assertThat(then.refused()).isZero();
    assertThat(then.p99()).isLessThanOrEqualTo(2 * NO_LOAD_P99);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void steadyTimeoutsDriveTheLimitDown(long seed) {
    for (Algorithm algorithm :
        new Algorithm[] {Algorithm.VEGAS, Algorithm.GRADIENT, Algorithm.AIMD}) {
      Limited limited = Limited.of(seed, algorithm, Duration.ofMillis(100));
      limited.sim.arrivals(0.5 * CAPACITY);
      limited.sim.run(Duration.ofSeconds(20));
      int before = limited.limiter.limit();
      limited.sim.lost(0.05);
      limited.sim.run(Duration.ofSeconds(10));
      System.out.println(
          "seed "
              + seed
              + ": "
              + algorithm
              + " with 5% of requests lost: limit "
              + before
              + " -> "
              + limited.limiter.limit());
      assertThat(limited.limiter.limit()).as(algorithm.name()).isLessThan(before / 4);
    }
  }

  /**
   * Dim first, then refuse. A request does 5 ms of core work, 2.5 ms for reviews (P3) and 2.5 ms
   * for recommendations (P4) while they are on. The load rises to 8,000 requests a second in 30 s,
   * then by 50 a second more each second (0.5% of capacity: a busy hour's ramp compressed into
   * minutes) to 16,000, past the 10,000 the server can serve with every feature on (but under the
   * 20,000 it can serve without the two); the level controller follows the limiter's pressure, read
   * once a second, and steps at the first reading over 0.9. The pressure reads the dependency's
   * utilization once the limiter has seen a queue form (its busy concurrency over the concurrency
   * at which the queue formed), and the queue itself before that, so each step comes before the
   * server saturates: both features are shed and nothing is refused. The features stay shed while
   * restoring one would overload the server, and come back once the load falls.
   *
   * <p>The capacity is learnt where a queue starts to form, a little below saturation, so the
   * pressure reads a little high: at 16,000 a second (80% of what level 2 serves) it read 0.80 to
   * 0.85 over the seeds, and the level held at 2; a target of 0.8 would step up there. Before the
   * capacity came from Little's law, with seed 2026 the pressure read 0.25 at level 2, the level
   * came down, and 4,911 requests were refused in a minute.
   *
   * <p>A ramp five times steeper (2.5% of capacity a second) outruns a one-second reading at the
   * first saturation: the limiter refuses a few requests before the first step (measured: 31 of
   * 2.55 million).
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void underRisingLoadFeaturesAreShedBeforeRequestsAreRefused(long seed) {
    Feature[] optional = new Feature[2];
    AdmissionSimulation sim =
        new AdmissionSimulation(
            seed,
            WORKERS,
            () ->
                Duration.ofMillis(5).toNanos()
                    + (optional[0].isEnabled() ? 2_500_000 : 0)
                    + (optional[1].isEnabled() ? 2_500_000 : 0),
            Duration.ofSeconds(1));
    Brownout runtime = runtime(sim);
    Features features = Features.of(runtime);
    optional[0] = features.define("reviews").priority(Priority.P3).register();
    optional[1] = features.define("recommendations").priority(Priority.P4).register();
    Limiter limiter = runtime.limiter("inbound", config(Algorithm.VEGAS));
    sim.gate(AdmissionSimulation.limiter(limiter));
    features.control(
        LevelController.builder(LoadSignal.pressure(limiter), 0.9)
            .raiseAfter(Duration.ZERO)
            .lowerBelow(0.5)
            .lowerAfter(Duration.ofSeconds(30))
            .build());
    sim.everySecond(features::refresh);

    long refused = 0;
    long arrived = 0;
    int levelAtFirstRefusal = -1;
    StringBuilder trace = new StringBuilder();
    for (int second = 0; second < 190; second++) {
      sim.arrivals(second < 30 ? 500 + 250 * second : Math.min(16_000, 8_000 + 50 * (second - 30)));
      int level = features.level();
      Stats stats = sim.run(Duration.ofSeconds(1));
      if (stats.refused() > 0 && levelAtFirstRefusal < 0) {
        levelAtFirstRefusal = level;
      }
      refused += stats.refused();
      arrived += stats.arrived();
      if (second % 10 == 9) {
        trace.append(
            String.format(
                "%ds: %.0f/s level %d limit %d pressure %.2f refused %d%n",
                second + 1,
                stats.arrived() / stats.seconds(),
                features.level(),
                limiter.limit(),
                limiter.pressure(),
                stats.refused()));
      }
    }
    System.out.print("seed " + seed + ":\n" + trace);

    assertThat(features.level()).as("level").isGreaterThanOrEqualTo(2);
    assertThat(optional).noneMatch(Feature::isEnabled);
    assertThat(refused)
        .as(
            "refused of %d while the load rose (the first at level %d)",
            arrived, levelAtFirstRefusal)
        .isZero();
    System.out.println(
        "seed " + seed + ": refused " + refused + " of " + arrived + " while the load rose");
    Stats held = sim.run(Duration.ofSeconds(60));
    System.out.println(
        "seed "
            + seed
            + ": "
            + "a minute at 16,000/s: "
            + held
            + ", level "
            + features.level()
            + ", pressure "
            + limiter.pressure());
    assertThat(held.refused()).as("refused at 16,000/s with the optional features shed").isZero();
    assertThat(held.p99()).isLessThanOrEqualTo(2 * NO_LOAD_P99);
    assertThat(features.level())
        .as("level held while restoring a feature would overload")
        .isGreaterThanOrEqualTo(2);
    assertThat(optional).noneMatch(Feature::isEnabled);

    sim.arrivals(4_000);
    Stats calm = sim.run(Duration.ofMinutes(3));
    System.out.println(
        "seed "
            + seed
            + ": "
            + "three minutes at 4,000/s: "
            + calm
            + ", level "
            + features.level()
            + ", pressure "
            + limiter.pressure());
    assertThat(features.level()).as("level once the load fell").isZero();
    assertThat(optional).allMatch(Feature::isEnabled);
    assertThat(calm.refused()).isZero();
  }
}
