package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.migration.Experiment;
import java.util.Map;
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
 * What does an experiment cost its caller? Unsampled (its switch OFF or at 0 %) it must be within a
 * few nanoseconds of the plain call and allocate nothing; sampled, the caller pays for the clock
 * reads and the hand-over of the candidate (or, on the caller's thread, the candidate and the
 * judging too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExperimentBenchmark {

  private Brownout runtime;
  private Experiment<Integer> off;
  private Experiment<Integer> zero;
  private Experiment<Integer> sampledOnLane;
  private Experiment<Integer> sampledOnCallerThread;
  private final long user = 42;

  /** Not final and written in setup, so the JIT has to read it. */
  public volatile int seed = 42;

  // Fields, so that no lambda is made per call.
  private final Experiment.Arm<Integer, RuntimeException> control = () -> seed;
  private final Experiment.Arm<Integer, RuntimeException> candidate = () -> seed;

  @Setup
  public void setUp() {
    runtime =
        Brownout.builder()
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "benchmark"))
            .build();
    Features features = Features.of(runtime);
    off = experiment(features, "off", Switch.off("not started"));
    zero = experiment(features, "zero", Switch.rollout(0));
    sampledOnLane = experiment(features, "lane", Switch.on());
    sampledOnCallerThread =
        Experiment.<Integer>builder(runtime, feature(features, "caller", Switch.on()))
            .onCallerThread()
            .build();
  }

  private Experiment<Integer> experiment(Features features, String name, Switch setting) {
    return Experiment.<Integer>builder(runtime, feature(features, name, setting)).build();
  }

  private static dev.brownout.degradation.Feature feature(
      Features features, String name, Switch setting) {
    return features
        .define("experiments." + name)
        .priority(Priority.P4)
        .initially(setting)
        .register();
  }

  @TearDown
  public void tearDown() {
    runtime.close();
  }

  /** The old path alone: the baseline. */
  @Benchmark
  public Integer plainCall() {
    return control.call();
  }

  /** An experiment switched OFF. */
  @Benchmark
  public Integer unsampledOff() {
    return off.run(control, candidate);
  }

  /** An experiment at ROLLOUT 0 %, asked for a numeric user id. */
  @Benchmark
  public Integer unsampledZeroPercentKeyed() {
    return zero.run(user, control, candidate);
  }

  /** An experiment at ROLLOUT 0 %, without a key (a random draw per call). */
  @Benchmark
  public Integer unsampledZeroPercent() {
    return zero.run(control, candidate);
  }

  /**
   * Every call sampled, the candidate handed to the default lane (two workers, no queue): most
   * calls find it busy and are judged SKIPPED on the caller's thread, which is the dearer branch.
   */
  @Benchmark
  public Integer sampledOnLane() {
    return sampledOnLane.run(control, candidate);
  }

  /** Every call sampled, the candidate and the judging on the caller's thread. */
  @Benchmark
  public Integer sampledOnCallerThread() {
    return sampledOnCallerThread.run(control, candidate);
  }
}
