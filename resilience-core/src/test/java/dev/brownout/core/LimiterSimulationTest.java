package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.LimiterConfig.Algorithm;
import dev.brownout.core.LimiterSimulation.Stats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limiter in front of a simulated server (see {@link LimiterSimulation}): 100 workers, 10 ms
 * a request, so a capacity of 10,000 requests a second; a no-load latency of 8–12 ms.
 */
class LimiterSimulationTest {

  private static final int WORKERS = 100;
  private static final Duration SERVICE = Duration.ofMillis(10);
  private static final double CAPACITY = WORKERS * 1e9 / SERVICE.toNanos();
  private static final long NO_LOAD_P99 = Duration.ofMillis(12).toNanos();

  private static Limiter limiter(ManualTicker ticker, Algorithm algorithm) {
    return new Limiter(
        "sim",
        LimiterConfig.builder()
            .algorithm(algorithm)
            .limits(4, 20, 1_000)
            .minWindow(Duration.ofMillis(250))
            .build(),
        ticker);
  }

  private static LimiterSimulation simulation(ManualTicker ticker, LimiterSimulation.Gate gate, Duration clientTimeout) {
    return new LimiterSimulation(ticker, gate, 42, WORKERS, SERVICE, clientTimeout);
  }

  @Test
  void atThreeTimesCapacityTheLimiterHoldsLatencyAndGoodput() {
    ManualTicker ticker = new ManualTicker();
    Limiter limiter = limiter(ticker, Algorithm.VEGAS);
    LimiterSimulation sim = simulation(ticker, LimiterSimulation.limiter(limiter), Duration.ofSeconds(1));
    sim.arrivals(3 * CAPACITY);
    sim.run(Duration.ofSeconds(20));
    Stats stats = sim.run(Duration.ofSeconds(20));
    System.out.println("vegas at 3x: " + stats + ", limit " + limiter.limit() + ", " + limiter.lastWindow());

    assertThat(stats.p99()).as("p99 of served requests").isLessThanOrEqualTo(2 * NO_LOAD_P99);
    assertThat(stats.goodput()).as("goodput").isGreaterThanOrEqualTo(0.9 * CAPACITY);
    assertThat(limiter.limit()).as("limit").isBetween((int) (0.8 * WORKERS), (int) (1.2 * WORKERS));
  }

  @Test
  void withoutALimiterLatencyGrowsWithoutBound() {
    ManualTicker ticker = new ManualTicker();
    LimiterSimulation sim = simulation(ticker, LimiterSimulation.none(), Duration.ofHours(1));
    sim.arrivals(3 * CAPACITY);
    Stats first = sim.run(Duration.ofSeconds(5));
    Stats second = sim.run(Duration.ofSeconds(5));
    System.out.println("no limiter at 3x: " + first + " then " + second);

    assertThat(first.p99()).isGreaterThan(100 * NO_LOAD_P99);
    assertThat(second.p99()).isGreaterThan(2 * first.p99());
  }

  @Test
  void whenCapacityHalvesTheLimiterFollowsAndAFixedBulkheadLosesGoodput() {
    Duration clientTimeout = Duration.ofMillis(20);
    ManualTicker limited = new ManualTicker();
    Limiter limiter = limiter(limited, Algorithm.VEGAS);
    LimiterSimulation adaptive = simulation(limited, LimiterSimulation.limiter(limiter), clientTimeout);
    LimiterSimulation fixed = simulation(new ManualTicker(), LimiterSimulation.bulkhead(WORKERS), clientTimeout);
    Stats adaptiveAfter = null;
    Stats fixedAfter = null;
    for (LimiterSimulation sim : new LimiterSimulation[] {adaptive, fixed}) {
      sim.arrivals(3 * CAPACITY);
      Stats before = sim.run(Duration.ofSeconds(20));
      sim.workers(-WORKERS / 2);
      sim.run(Duration.ofSeconds(20));
      Stats after = sim.run(Duration.ofSeconds(20));
      System.out.println((sim == adaptive ? "vegas" : "bulkhead") + ": before " + before + "; after " + after);
      if (sim == adaptive) {
        adaptiveAfter = after;
      } else {
        fixedAfter = after;
      }
    }

    assertThat(adaptiveAfter.goodput()).isGreaterThanOrEqualTo(0.9 * CAPACITY / 2);
    assertThat(fixedAfter.goodput()).isLessThan(0.75 * CAPACITY / 2);
    // Vegas keeps 3 to 6 log10(limit) calls queued: a share of the limit that grows as capacity
    // shrinks (+6-12% at 100 workers, about +20% at 50).
    assertThat(limiter.limit()).isBetween((int) (0.8 * WORKERS / 2), (int) (1.25 * WORKERS / 2));
  }

  @Test
  void underAStableOverloadTheLimitNeverCreeps() {
    for (Algorithm algorithm : new Algorithm[] {Algorithm.VEGAS, Algorithm.GRADIENT}) {
      ManualTicker ticker = new ManualTicker();
      Limiter limiter = limiter(ticker, algorithm);
      LimiterSimulation sim = simulation(ticker, LimiterSimulation.limiter(limiter), Duration.ofSeconds(1));
      sim.arrivals(3 * CAPACITY);
      sim.run(Duration.ofSeconds(20));
      int highest = 0;
      int lowest = Integer.MAX_VALUE;
      int settled = 0;
      for (int second = 0; second < 120; second++) {
        sim.run(Duration.ofSeconds(1));
        if (second == 10) {
          settled = limiter.limit();
        }
        highest = Math.max(highest, limiter.limit());
        lowest = Math.min(lowest, limiter.limit());
      }
      System.out.println(algorithm + " over 120 s at 3x: limit " + lowest + ".." + highest + ", settled " + settled);
      assertThat(highest).as(algorithm + " highest limit").isLessThanOrEqualTo((int) (settled * 1.1) + 2);
    }
  }

  @Test
  void steadyTimeoutsDriveTheLimitDown() {
    for (Algorithm algorithm : new Algorithm[] {Algorithm.VEGAS, Algorithm.GRADIENT, Algorithm.AIMD}) {
      ManualTicker ticker = new ManualTicker();
      Limiter limiter = limiter(ticker, algorithm);
      LimiterSimulation sim = simulation(ticker, LimiterSimulation.limiter(limiter), Duration.ofMillis(100));
      sim.arrivals(0.5 * CAPACITY);
      sim.run(Duration.ofSeconds(20));
      int before = limiter.limit();
      sim.lost(0.05);
      sim.run(Duration.ofSeconds(10));
      System.out.println(algorithm + " with 5% of requests lost: limit " + before + " -> " + limiter.limit());
      assertThat(limiter.limit()).as(algorithm.name()).isLessThan(before / 4);
    }
  }
}
