package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimiterTest {

  private final ManualTicker ticker = new ManualTicker();

  private Limiter limiter(LimiterConfig.Builder config) {
    return new Limiter("l", config.build(), ticker);
  }

  /** AIMD between 1 and {@code max}, from {@code initial}: a drop cuts, a quiet window grows. */
  private static LimiterConfig.Builder aimd(int initial, int max) {
    return LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.AIMD).limits(1, initial, max);
  }

  @Test
  void admitsUpToTheLimitAndRefusesBeyondIt() {
    Limiter limiter =
        limiter(LimiterConfig.builder().algorithm(LimiterConfig.Algorithm.FIXED).limits(1, 2, 2));
    long first = limiter.tryAcquire();
    long second = limiter.tryAcquire();
    assertThat(limiter.tryAcquire()).isEqualTo(Limiter.REFUSED);
    assertThat(limiter.inFlight()).isEqualTo(2);
    limiter.onSuccess(first);
    assertThat(limiter.tryAcquire()).isNotEqualTo(Limiter.REFUSED);
    limiter.onIgnored(second);
    assertThat(limiter.partitions().get(0).refused()).isEqualTo(1);
  }

  @Test
  void aWindowWithADropCutsTheLimit() {
    Limiter limiter = limiter(aimd(20, 100).minSamples(1).maxInFlightFactor(50));
    long permit = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onDropped(permit);
    assertThat(limiter.limit()).isEqualTo(18);
    assertThat(limiter.lastWindow().drops()).isEqualTo(1);
  }

  @Test
  void aQuietWindowCannotGrowTheLimitPastTheFactorOfItsPeak() {
    Limiter limiter = limiter(aimd(20, 100).minSamples(1).maxInFlightFactor(2));
    long permit = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(permit);
    assertThat(limiter.lastWindow().peakInFlight()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(2);
  }

  @Test
  void aCallThatStartedBeforeTheWindowIsNotItsSample() {
    Limiter limiter = limiter(aimd(20, 100).minSamples(1));
    long old = limiter.tryAcquire();
    long fresh = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(fresh); // closes the first window
    ticker.advance(Duration.ofMillis(5));
    limiter.onSuccess(old);
    long next = limiter.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    limiter.onSuccess(next);
    assertThat(limiter.lastWindow().samples())
        .as("only the call that started in the window")
        .isEqualTo(1);
    assertThat(limiter.lastWindow().minimumNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void aDropCutsEvenASmallLimitAndAFewDropsUnderTheThresholdDoNot() {
    Limiter small = limiter(aimd(5, 10).minSamples(1).maxInFlightFactor(100));
    long permit = small.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    small.onDropped(permit);
    assertThat(small.limit()).as("5 x 0.9 rounds to 5: cut by one at least").isEqualTo(4);

    Limiter busy = limiter(aimd(20, 100).maxInFlightFactor(100));
    for (int i = 0; i < 999; i++) {
      busy.onSuccess(busy.tryAcquire());
    }
    long dropped = busy.tryAcquire();
    ticker.advance(Duration.ofSeconds(1));
    busy.onDropped(dropped);
    assertThat(busy.lastWindow().drops()).isEqualTo(1);
    assertThat(busy.limit()).as("one drop in 1,000 calls is under 1%").isEqualTo(20);
  }

  @Test
  void refusingWhileNothingWaitsDoublesTheLimit() {
    Limiter limiter = limiter(LimiterConfig.builder().limits(1, 4, 100).minSamples(1));
    long[] permits = new long[4];
    for (int i = 0; i < 4; i++) {
      permits[i] = limiter.tryAcquire();
    }
    assertThat(limiter.tryAcquire()).isEqualTo(Limiter.REFUSED);
    ticker.advance(Duration.ofSeconds(1));
    for (long permit : permits) {
      limiter.onSuccess(permit);
    }
    assertThat(limiter.lastWindow().refusals()).isEqualTo(1);
    assertThat(limiter.limit()).isEqualTo(8);
  }

  @Test
  void aWindowOverdueAfterTheLoadFellTimesEveryCallUntilItCloses() {
    Limiter limiter = limiter(aimd(100, 1000).minWindow(Duration.ofMillis(100)).minSamples(5));
    for (int i = 0; i < 4_000; i++) { // busy windows: after them only some calls are timed
      long permit = limiter.tryAcquire();
      ticker.advance(Duration.ofNanos(30_000));
      limiter.onSuccess(permit);
    }
    int untimed = 0;
    for (int i = 0; i < 8; i++) {
      untimed += limiter.tryAcquire() == Limiter.UNTIMED ? 1 : 0; // released below
    }
    assertThat(untimed).as("sampled after the busy windows").isPositive();
    ticker.advance(Duration.ofMillis(250));
    for (int i = 0; i < 8; i++) {
      limiter.onIgnored(Limiter.UNTIMED); // the quiet calls' releases: untimed, overdue
    }

    Limiter.Window before = limiter.lastWindow();
    for (int i = 0; i < 5; i++) {
      long permit = limiter.tryAcquire();
      assertThat(permit).as("call %d of the quiet spell", i).isNotEqualTo(Limiter.UNTIMED);
      ticker.advance(Duration.ofMillis(10));
      limiter.onSuccess(permit);
    }
    assertThat(limiter.lastWindow()).as("the overdue window closed").isNotSameAs(before);
  }

  /** One call a window that takes {@code latency} and closes the window as it ends. */
  private void window(Limiter limiter, Duration latency) {
    ticker.advance(Duration.ofSeconds(1).minus(latency));
    long permit = limiter.tryAcquire();
    ticker.advance(latency);
    limiter.onSuccess(permit);
  }

  @Test
  void aDependencyThatSlowsWithoutAQueueIsMeasuredAgain() {
    Limiter limiter = limiter(LimiterConfig.builder().minSamples(1).noLoadWindows(3));
    for (int i = 0; i < 3; i++) {
      window(limiter, Duration.ofMillis(10));
    }
    assertThat(limiter.pressure()).isLessThan(0.5);

    window(limiter, Duration.ofMillis(12));
    assertThat(limiter.pressure()).as("20% slower reads as waiting").isEqualTo(1.0);
    for (int i = 0; i < 4; i++) {
      window(limiter, Duration.ofMillis(12));
    }

    assertThat(limiter.lastWindow().noLoadNanos()).isEqualTo(Duration.ofMillis(12).toNanos());
    assertThat(limiter.pressure()).as("measured again: the calls do not wait").isLessThan(0.5);
    assertThat(limiter.limit()).as("five times the one call in flight, never cut").isEqualTo(5);
  }

  /**
   * A limiter of a fixed limit far above the load, in half-second windows: what these tests watch
   * is its measurement, not its limit.
   */
  private Limiter measuring() {
    return limiter(measuringConfig());
  }

  private static LimiterConfig.Builder measuringConfig() {
    return LimiterConfig.builder()
        .algorithm(LimiterConfig.Algorithm.FIXED)
        .limits(100, 100, 100)
        .minWindow(Duration.ofMillis(500))
        .minSamples(4);
  }

  /**
   * One window of rounds in which {@code atOnce} calls start together and each takes {@code
   * latency}: {@code (atOnce + 1) / 2} calls in flight as each ends, on average.
   */
  @SuppressWarnings("ReferenceEquality") // two windows can measure the same; each is a new record
  private void window(Limiter limiter, int atOnce, Duration latency) {
    Limiter.Window before = limiter.lastWindow();
    long[] permits = new long[atOnce];
    while (limiter.lastWindow() == before) {
      for (int i = 0; i < atOnce; i++) {
        permits[i] = limiter.tryAcquire();
      }
      ticker.advance(latency);
      for (long permit : permits) {
        limiter.onSuccess(permit);
      }
    }
  }

  private void windows(int count, Limiter limiter, int atOnce, Duration latency) {
    for (int i = 0; i < count; i++) {
      window(limiter, atOnce, latency);
    }
  }

  /**
   * Pages of 40 ms whose slow part then waits for a 250 ms timeout, with as many calls at once as
   * before: every call takes longer, but the dependency serves fewer calls at once, not more, so no
   * saturation is learnt; once the part is shed and the pages take 6 ms, the pressure is low.
   * (Learnt from those windows, the estimate read the quick pages as more than fully used, and a
   * level controller shed every part and kept them shed.)
   */
  @ParameterizedTest(name = "{0} calls at once")
  @ValueSource(ints = {4, 20})
  void aDependencyThatBecameSlowerIsNotTakenForAFullOne(int atOnce) {
    Limiter limiter = measuring();
    windows(3, limiter, atOnce, Duration.ofMillis(40));
    windows(2, limiter, atOnce, Duration.ofMillis(250));
    assertThat(limiter.pressure()).as("every call waited").isEqualTo(1.0);
    assertThat(limiter.lastWindow().saturationInFlight()).isZero();

    limiter.remeasure();
    windows(4, limiter, atOnce / 2, Duration.ofMillis(6));

    assertThat(limiter.lastWindow().saturationInFlight()).isZero();
    assertThat(limiter.pressure()).isLessThan(0.5);
  }

  /**
   * Five times the calls at once, each twice as long: a queue, in which the dependency serves about
   * 5.25 calls at once (by Little's law, 10.5 in flight for a no-load 40 ms of 80; 82 in the second
   * window, as a queue is never quite steady); when the load falls to 4.5 calls at once without a
   * queue, the pressure reads how much of that it uses.
   */
  @Test
  void aQueueTeachesTheCallsTheDependencyServesAtOnce() {
    Limiter limiter = measuring();
    windows(3, limiter, 4, Duration.ofMillis(40));
    window(limiter, 20, Duration.ofMillis(80));
    assertThat(limiter.lastWindow().saturationInFlight()).as("one window is no queue").isZero();
    window(limiter, 20, Duration.ofMillis(82));
    // A little over: the call that closes a window is one more sample, with 20 in flight.
    assertThat(limiter.lastWindow().saturationInFlight()).isCloseTo(5.2, within(0.15));

    window(limiter, 8, Duration.ofMillis(40));

    Limiter.Window quiet = limiter.lastWindow();
    assertThat(quiet.busyInFlight()).isCloseTo(4.5, within(0.1));
    assertThat(limiter.pressure())
        .isEqualTo(quiet.busyInFlight() / quiet.saturationInFlight())
        .isCloseTo(4.5 / 5.25, within(0.03));
  }

  /**
   * Ten windows kept as no-load evidence, turned over four times by quick windows: what they served
   * without a queue is kept with them, and still tells the slowdown (20 calls at once, each now
   * waiting for a 250 ms timeout) from a queue.
   */
  @Test
  void theThroughputServedWithoutAQueueTurnsOverWithTheEvidence() {
    Limiter limiter = limiter(measuringConfig().noLoadWindows(10));
    windows(40, limiter, 20, Duration.ofMillis(40));
    windows(3, limiter, 20, Duration.ofMillis(250));

    assertThat(limiter.pressure()).as("every call waited").isEqualTo(1.0);
    assertThat(limiter.lastWindow().busyInFlight()).as("over 1").isGreaterThan(1.5);
    assertThat(limiter.lastWindow().saturationInFlight()).isZero();
  }

  /**
   * A slow first window (a cold start) is its own no-load reference, so it reads as no queue: what
   * it served is a throughput, compared as one when a queue forms later, not a busy concurrency of
   * its own baseline (5.5 here, more than the 5.25 the later queue serves).
   */
  @Test
  void aSlowFirstWindowDoesNotHideALaterQueue() {
    Limiter limiter = measuring();
    window(limiter, 10, Duration.ofMillis(80));
    windows(3, limiter, 4, Duration.ofMillis(40));
    windows(2, limiter, 20, Duration.ofMillis(80));

    assertThat(limiter.lastWindow().saturationInFlight()).isCloseTo(5.25, within(0.15));
  }

  /**
   * Calls one at a time of 4 ms plus an exponential 2 ms on average, about 80 a window, nothing
   * queued: a window's average strays from the least average of the kept windows by chance alone,
   * by about 7% (two standard errors, 0.45 ms on 6 ms), which read as most of a queue.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void aQuietServiceWithNoisyLatenciesReadsLittlePressure(long seed) {
    Limiter limiter = measuring();
    Random random = new Random(seed);
    noisyWindows(30, limiter, random, Duration.ofMillis(2)); // until the evidence kept is full

    double[] pressures = noisyWindows(60, limiter, random, Duration.ofMillis(2));

    assertThat(Arrays.stream(pressures).filter(p -> p >= 0.5).count())
        .as("over 0.5 in 60 windows: %s", Arrays.toString(pressures))
        .isLessThanOrEqualTo(6);
  }

  /**
   * The same calls, then their average a quarter longer (the exponential part 3.5 ms): a queue out
   * of the noise, read in the queue term alone (the fastest call is as fast as before).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void aQueueOutOfTheNoiseStillReads(long seed) {
    Limiter limiter = measuring();
    Random random = new Random(seed);
    noisyWindows(30, limiter, random, Duration.ofMillis(2));

    double[] pressures = noisyWindows(10, limiter, random, Duration.ofNanos(3_500_000));

    assertThat(Arrays.stream(pressures).filter(p -> p >= 0.5).count())
        .as("over 0.5 in 10 windows: %s", Arrays.toString(pressures))
        .isGreaterThan(7);
  }

  /**
   * {@code count} windows of calls one at a time, each 4 ms plus an exponential part of mean {@code
   * spread}: the pressure after each.
   */
  @SuppressWarnings("ReferenceEquality") // a new window is a new record, though it may be equal
  private double[] noisyWindows(int count, Limiter limiter, Random random, Duration spread) {
    double[] pressures = new double[count];
    for (int closed = 0; closed < count; ) {
      Limiter.Window before = limiter.lastWindow();
      long permit = limiter.tryAcquire();
      long exponential = (long) (-spread.toNanos() * Math.log(1 - random.nextDouble()));
      ticker.advance(Duration.ofMillis(4).plusNanos(exponential));
      limiter.onSuccess(permit);
      if (limiter.lastWindow() != before) {
        pressures[closed++] = limiter.pressure();
      }
    }
    return pressures;
  }

  /** One slow window between quick ones (a pause, a noisy machine) teaches nothing. */
  @Test
  void oneSlowWindowIsNoQueue() {
    Limiter limiter = measuring();
    windows(3, limiter, 4, Duration.ofMillis(40));
    window(limiter, 20, Duration.ofMillis(80));
    windows(3, limiter, 4, Duration.ofMillis(40));

    assertThat(limiter.lastWindow().saturationInFlight()).isZero();
    assertThat(limiter.pressure()).isLessThan(0.5);
  }

  @Test
  void theRemeasuredPressureIsUnknownUntilAWindowCloses() {
    Limiter limiter = limiter(LimiterConfig.builder().minSamples(1));
    assertThat(limiter.pressure()).isNaN();
    window(limiter, Duration.ofMillis(10));
    assertThat(limiter.pressure()).isNotNaN();

    limiter.remeasure();

    assertThat(limiter.pressure()).isNaN();
    window(limiter, Duration.ofMillis(10));
    assertThat(limiter.pressure()).isNotNaN();
  }

  /**
   * At the limit, racing callers of one partition never hold more than its guarantee: each takes
   * one of its guaranteed slots before it is counted.
   */
  @Test
  void atTheLimitRacingCallersNeverExceedTheirPartitionsGuarantee() throws Exception {
    Limiter limiter =
        limiter(
            LimiterConfig.builder()
                .algorithm(LimiterConfig.Algorithm.FIXED)
                .limits(1, 4, 4)
                .partition("a", 0.5)
                .partition("b", 0.5));
    Limiter.Partition a = limiter.partition("a");
    Limiter.Partition b = limiter.partition("b");
    for (int i = 0; i < 4; i++) {
      assertThat(b.tryAcquire()).isNotEqualTo(Limiter.REFUSED); // b borrows the whole limit
    }
    java.util.concurrent.atomic.AtomicInteger highest =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(4);
    java.util.List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  return;
                }
                for (int i = 0; i < 50_000; i++) {
                  long permit = a.tryAcquire();
                  if (permit != Limiter.REFUSED) {
                    highest.accumulateAndGet(a.inFlight(), Math::max);
                    a.onSuccess(permit);
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(highest.get()).isBetween(1, 2);
    assertThat(a.inFlight()).isZero();
    assertThat(limiter.inFlight()).isEqualTo(4);
  }

  @Test
  void unknownPartitionsAndBadSettingsAreNamed() {
    Limiter limiter = limiter(LimiterConfig.builder().partition("checkout", 0.5));
    assertThatThrownBy(() -> limiter.partition("chekout"))
        .hasMessage("limiter 'l' has no partition 'chekout'; it has [checkout]");
    assertThatThrownBy(
            () -> LimiterConfig.builder().partition("a", 0.7).partition("b", 0.4).build())
        .hasMessage(
            "limiter.partitions must have shares adding up to at most 1, but was {a=0.7, b=0.4}");
    assertThatThrownBy(() -> LimiterConfig.builder().limits(10, 5, 100).build())
        .hasMessage("limiter.initialLimit must be at least 10, but was 5");
    assertThatThrownBy(() -> LimiterConfig.builder().backoffRatio(0.2).build())
        .hasMessage("limiter.backoffRatio must be in [0.5, 1), but was 0.2");
    assertThatThrownBy(() -> LimiterConfig.builder().dropThreshold(1).build())
        .hasMessage("limiter.dropThreshold must be a share in [0, 1), but was 1.0");
    assertThatThrownBy(() -> LimiterConfig.builder().partition("a", 0.5).partition("a", 0.2))
        .hasMessage("limiter.partition must be declared once, but was 'a'");
  }

  @Test
  void theRuntimeHoldsLimitersByNameAndBindsTheirMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().ticker(ticker).meterRegistry(registry).build()) {
      LimiterConfig config = LimiterConfig.builder().partition("checkout", 0.5).build();
      Limiter limiter = brownout.limiter("inbound", config);
      assertThat(brownout.limiter("inbound", config)).isSameAs(limiter);
      assertThat(brownout.limiter("inbound")).isSameAs(limiter);
      assertThatThrownBy(() -> brownout.limiter("inbound", LimiterConfig.ofDefaults()))
          .hasMessageStartingWith("limiter 'inbound' already exists with a different config (");
      long permit = limiter.partition("checkout").tryAcquire();
      assertThat(registry.get("brownout.limiter.limit").tag("limiter", "inbound").gauge().value())
          .isEqualTo(20);
      assertThat(
              registry
                  .get("brownout.limiter.inflight")
                  .tags("limiter", "inbound", "partition", "checkout")
                  .gauge()
                  .value())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("brownout.limiter.refused")
                  .tags("limiter", "inbound", "partition", "none")
                  .functionCounter()
                  .count())
          .isZero();
      limiter.partition("checkout").onSuccess(permit);
      assertThat(brownout.limiters()).containsExactly(limiter);
    }
  }
}
