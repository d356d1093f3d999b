package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.migration.Shift;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does a shift add to a call? {@code plain} calls the old path; {@code shift} routes numeric
 * keys (each call the next key) at a 50% step through {@code Shift.call}, so half the calls take
 * each path, each through its path's guard, which counts the call and times it for the judge (two
 * clock reads and a histogram record: the latency the judge compares). {@code routing} is the
 * routing decision alone, {@code Shift.routesToNew}: the salted key hash against the share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ShiftBenchmark {

  private Brownout brownout;
  private Shift<Integer> shift;
  private final Callable<Integer> oldPath = () -> 1;
  private final Callable<Integer> newPath = () -> 2;
  private long key;

  @Setup
  public void setUp() {
    brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "benchmark"))
            .build();
    shift =
        Shift.<Integer>builder("comments-backend", brownout, Features.of(brownout))
            .steps(50, 100)
            .build();
  }

  @TearDown
  public void tearDown() {
    brownout.close();
  }

  @Benchmark
  public Integer plain() throws Exception {
    key++;
    return oldPath.call();
  }

  @Benchmark
  public boolean routing() {
    return shift.routesToNew(key++);
  }

  @Benchmark
  public Integer shift() throws Exception {
    return shift.call(key++, oldPath, newPath);
  }
}
