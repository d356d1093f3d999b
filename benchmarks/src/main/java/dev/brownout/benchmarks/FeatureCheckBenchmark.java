package dev.brownout.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;
import org.togglz.core.Feature;
import org.togglz.core.manager.FeatureManager;
import org.togglz.core.manager.FeatureManagerBuilder;
import org.togglz.core.repository.FeatureState;
import org.togglz.core.repository.mem.InMemoryStateRepository;
import org.togglz.core.user.NoOpUserProvider;

/** What does asking "is this feature on?" cost on every request? */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FeatureCheckBenchmark {

  /** Togglz declares features as an enum. */
  public enum Features implements Feature {
    RECOMMENDATIONS
  }

  private FeatureManager togglz;

  @Setup
  public void setUp() {
    InMemoryStateRepository states = new InMemoryStateRepository();
    states.setFeatureState(new FeatureState(Features.RECOMMENDATIONS, true));
    togglz = new FeatureManagerBuilder()
        .featureEnum(Features.class)
        .stateRepository(states)
        .userProvider(new NoOpUserProvider())
        .build();
  }

  @Benchmark
  public boolean togglz() {
    return togglz.isActive(Features.RECOMMENDATIONS);
  }
}
