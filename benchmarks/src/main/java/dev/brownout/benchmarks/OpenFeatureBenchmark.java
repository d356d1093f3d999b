package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.openfeature.BrownoutProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
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
 * What does reading a feature through OpenFeature cost, beside asking the feature itself? The
 * provider alone (what Brownout adds) and the SDK's client (what a service pays), for a sticky 50 %
 * rollout asked for a user name.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OpenFeatureBenchmark {

  private static final String FLAG = "feed.beta";

  private Brownout runtime;
  private Feature feature;
  private BrownoutProvider provider;
  private Client client;
  private final String user = "user-42";
  private final EvaluationContext context = new ImmutableContext(user);

  @Setup
  public void setUp() {
    runtime = Brownout.builder().build();
    Features features = Features.of(runtime);
    feature = features.feature(FLAG);
    features.set(FLAG, Switch.rollout(50));
    provider = BrownoutProvider.of(features);
    OpenFeatureAPI.getInstance().setProviderAndWait("benchmark", provider);
    client = OpenFeatureAPI.getInstance().getClient("benchmark");
  }

  @TearDown
  public void tearDown() {
    OpenFeatureAPI.getInstance().shutdown();
    runtime.close();
  }

  /** The feature asked directly: the floor. */
  @Benchmark
  public boolean feature() {
    return feature.isEnabled(user);
  }

  /** The provider asked as the SDK asks it: the cost Brownout adds. */
  @Benchmark
  public ProviderEvaluation<Boolean> provider() {
    return provider.getBooleanEvaluation(FLAG, Boolean.FALSE, context);
  }

  /** The SDK's client: what a service that reads its flags through OpenFeature pays. */
  @Benchmark
  public boolean client() {
    return client.getBooleanValue(FLAG, false, context);
  }
}
