package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Switch;
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
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FeatureCheckBenchmark {

  /** Togglz declares features as an enum. */
  public enum Features implements Feature {
    RECOMMENDATIONS
  }

  private FeatureManager togglz;
  private Brownout runtime;
  private dev.brownout.degradation.Feature on;
  private dev.brownout.degradation.Feature rollout;
  private long user = 42;
  private String userName = "user-42";

  @Setup
  public void setUp() {
    runtime = Brownout.builder().build();
    dev.brownout.degradation.Features features = dev.brownout.degradation.Features.of(runtime);
    on = features.feature("feed.recommendations");
    rollout = features.feature("feed.beta");
    features.set("feed.beta", Switch.rollout(50));
    InMemoryStateRepository states = new InMemoryStateRepository();
    states.setFeatureState(new FeatureState(Features.RECOMMENDATIONS, true));
    togglz =
        new FeatureManagerBuilder()
            .featureEnum(Features.class)
            .stateRepository(states)
            .userProvider(new NoOpUserProvider())
            .build();
  }

  @TearDown
  public void tearDown() {
    runtime.close();
  }

  /** A feature that is on: the question every request asks. */
  @Benchmark
  public boolean brownout() {
    return on.isEnabled();
  }

  /** A sticky 50 % rollout, asked for a numeric user id. */
  @Benchmark
  public boolean brownoutRolloutForId() {
    return rollout.isEnabled(user);
  }

  /** A sticky 50 % rollout, asked for a user name (its hash code is cached by String). */
  @Benchmark
  public boolean brownoutRolloutForName() {
    return rollout.isEnabled(userName);
  }

  @Benchmark
  public boolean togglz() {
    return togglz.isActive(Features.RECOMMENDATIONS);
  }
}
