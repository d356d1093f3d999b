package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * A partitioned limiter under random scripts of calls starting and ending (success, drop, ignore;
 * time passing so that windows close and the limit moves): below the limit every partition is
 * admitted (it may burst beyond its share); at the limit a call is admitted only while its
 * partition holds fewer than its share; the in-flight counts always equal the calls holding
 * permits; and once every call has ended, every permit is back.
 */
class LimiterProperties {

  /**
   * 0-2: a call of partition 0-2 starts; 3: the oldest call ends (outcome by seed); 4: time passes.
   */
  @Provide
  Arbitrary<List<Integer>> steps() {
    return Arbitraries.integers().between(0, 4).list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 1000)
  void partitionsKeepTheirSharesAtTheLimitAndPermitsComeBack(
      @ForAll("steps") List<Integer> steps,
      @ForAll @IntRange(min = 1, max = 40) int initial,
      @ForAll long seed) {
    ManualTicker ticker = new ManualTicker();
    Limiter limiter =
        new Limiter(
            "p",
            LimiterConfig.builder()
                .algorithm(LimiterConfig.Algorithm.AIMD)
                .limits(1, initial, 60)
                .minWindow(Duration.ofMillis(10))
                .minSamples(3)
                .partition("a", 0.5)
                .partition("b", 0.3)
                .partition("c", 0.2)
                .build(),
            ticker);
    List<Limiter.Partition> partitions = limiter.partitions();
    List<long[]> holding = new ArrayList<>(); // {partition, permit}
    int[] held = new int[3];
    java.util.Random random = new java.util.Random(seed);
    for (int step : steps) {
      if (step < 3) {
        Limiter.Partition partition = partitions.get(step);
        int limit = limiter.limit();
        int inFlight = limiter.inFlight();
        int guaranteed = (int) Math.floor(partition.share() * limit);
        long permit = partition.tryAcquire();
        boolean admitted = permit != Limiter.REFUSED;
        assertThat(admitted)
            .as(
                "partition %s with %d of its %d guaranteed, %d in flight of %d",
                partition.name(), held[step], guaranteed, inFlight, limit)
            .isEqualTo(inFlight < limit || held[step] < guaranteed);
        if (admitted) {
          holding.add(new long[] {step, permit});
          held[step]++;
        }
      } else if (step == 3 && !holding.isEmpty()) {
        long[] call = holding.remove(0);
        end(partitions.get((int) call[0]), call[1], random.nextInt(3));
        held[(int) call[0]]--;
      } else {
        ticker.advance(Duration.ofMillis(1 + random.nextInt(8)));
      }
      assertThat(limiter.inFlight()).isEqualTo(holding.size());
      for (int p = 0; p < 3; p++) {
        assertThat(partitions.get(p).inFlight()).isEqualTo(held[p]);
      }
    }
    for (long[] call : holding) {
      end(partitions.get((int) call[0]), call[1], random.nextInt(3));
    }
    assertThat(limiter.inFlight()).isZero();
    assertThat(partitions).allSatisfy(p -> assertThat(p.inFlight()).isZero());
  }

  private static void end(Limiter.Partition partition, long permit, int outcome) {
    switch (outcome) {
      case 0 -> partition.onSuccess(permit);
      case 1 -> partition.onDropped(permit);
      default -> partition.onIgnored(permit);
    }
  }
}
