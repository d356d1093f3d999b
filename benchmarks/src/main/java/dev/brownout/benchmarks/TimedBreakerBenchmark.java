package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * What does a closed breaker cost per call when its decisions need time? Two configs, each beside
 * Resilience4j's same one: a time-based window (the last 60 seconds, judged from 100 calls on),
 * where every call is dated to its second, and slow-call detection (calls slower than 1 s), where
 * every call is timed. Resilience4j times every call whatever its config, so its slow-call row
 * differs from its plain breaker only in the threshold.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TimedBreakerBenchmark {

  private Brownout brownout;
  private Guard timeWindow;
  private Guard slowCalls;
  private Supplier<Integer> resilience4jTimeWindow;
  private Supplier<Integer> resilience4jSlowCalls;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    timeWindow =
        brownout
            .guard("time-window")
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 60, 100)
                    .build())
            .build();
    slowCalls =
        brownout
            .guard("slow-calls")
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slowCallDurationThreshold(Duration.ofSeconds(1))
                    .slowCallRateThreshold(50)
                    .build())
            .build();
    resilience4jTimeWindow =
        CircuitBreaker.decorateSupplier(
            CircuitBreaker.of(
                "time-window",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                    .slidingWindow(
                        60,
                        100,
                        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType
                            .TIME_BASED)
                    .build()),
            work.supplier);
    resilience4jSlowCalls =
        CircuitBreaker.decorateSupplier(
            CircuitBreaker.of(
                "slow-calls",
                io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                    .slowCallDurationThreshold(Duration.ofSeconds(1))
                    .slowCallRateThreshold(50)
                    .build()),
            work.supplier);
  }

  @TearDown
  public void tearDown() {
    brownout.close();
  }

  @Benchmark
  public Integer timeWindowBrownout(Work work) throws Exception {
    return timeWindow.call(work.callable);
  }

  @Benchmark
  public Integer timeWindowResilience4j() {
    return resilience4jTimeWindow.get();
  }

  @Benchmark
  public Integer slowCallsBrownout(Work work) throws Exception {
    return slowCalls.call(work.callable);
  }

  @Benchmark
  public Integer slowCallsResilience4j() {
    return resilience4jSlowCalls.get();
  }
}
