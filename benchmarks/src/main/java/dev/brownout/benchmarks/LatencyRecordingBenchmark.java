package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.CountingMode;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
 * What does {@code recordLatency(true)} cost per call through a closed breaker and a bulkhead: the
 * clock reads and Brownout's own histogram alone (no registry), and with a registry whose {@code
 * brownout.latency} timer keeps a percentile histogram (a cumulative registry, as Prometheus is)?
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LatencyRecordingBenchmark {

  private Brownout unbound;
  private Brownout bound;
  private Guard notRecorded;
  private Guard recorded;
  private Guard recordedToRegistry;

  @Setup
  public void setUp() {
    unbound = Brownout.builder().build();
    notRecorded = guard(unbound, "not-recorded", false);
    recorded = guard(unbound, "recorded", true);
    bound =
        Brownout.builder()
            .meterRegistry(new SimpleMeterRegistry(cumulative(), Clock.SYSTEM))
            .build();
    recordedToRegistry = guard(bound, "recorded-to-registry", true);
  }

  private static Guard guard(Brownout runtime, String name, boolean recordLatency) {
    return runtime
        .guard(name)
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .bulkhead(BulkheadConfig.ofDefaults())
        .recordLatency(recordLatency)
        .build();
  }

  private static SimpleConfig cumulative() {
    return new SimpleConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public CountingMode mode() {
        return CountingMode.CUMULATIVE;
      }
    };
  }

  @TearDown
  public void tearDown() {
    unbound.close();
    bound.close();
  }

  @Benchmark
  public Integer notRecorded(Work work) throws Exception {
    return notRecorded.call(work.callable);
  }

  @Benchmark
  public Integer recorded(Work work) throws Exception {
    return recorded.call(work.callable);
  }

  @Benchmark
  public Integer recordedToRegistry(Work work) throws Exception {
    return recordedToRegistry.call(work.callable);
  }
}
