package dev.brownout.benchmarks;

import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import java.util.Optional;
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
 * What does an adaptive concurrency limit cost per call: admit, run the work, give the permit back
 * with its latency? Both limiters use Vegas with their defaults (limit 20 to start, at most 1,000;
 * never reached by one or two threads, so every call is admitted and every window moves the limit).
 * {@code brownoutGuard} is the path a guarded call takes: a guard whose only policy is the limiter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LimiterBenchmark {

  private Brownout brownout;
  private Limiter brownoutLimiter;
  private Limiter.Partition brownoutPartition;
  private Guard brownoutGuard;
  private SimpleLimiter<Void> netflix;

  @Setup
  public void setUp() {
    brownout = Brownout.builder().build();
    brownoutLimiter = brownout.limiter("vegas", LimiterConfig.ofDefaults());
    brownoutPartition =
        brownout
            .limiter(
                "partitioned",
                LimiterConfig.builder().partition("checkout", 0.6).partition("browse", 0.4).build())
            .partition("checkout");
    brownoutGuard =
        brownout
            .guard("limited")
            .limiter(brownout.limiter("guarded", LimiterConfig.ofDefaults()))
            .build();
    netflix = netflixLimiter();
  }

  // The builder's build() returns a raw SimpleLimiter.
  @SuppressWarnings("unchecked")
  private static SimpleLimiter<Void> netflixLimiter() {
    return SimpleLimiter.newBuilder().limit(VegasLimit.newDefault()).build();
  }

  @TearDown
  public void tearDown() {
    brownout.close();
  }

  @Benchmark
  public int brownout(Work work) {
    long permit = brownoutLimiter.tryAcquire();
    if (permit == Limiter.REFUSED) {
      return -1;
    }
    int result = work.seed;
    brownoutLimiter.onSuccess(permit);
    return result;
  }

  @Benchmark
  public int brownoutPartitioned(Work work) {
    long permit = brownoutPartition.tryAcquire();
    if (permit == Limiter.REFUSED) {
      return -1;
    }
    int result = work.seed;
    brownoutPartition.onSuccess(permit);
    return result;
  }

  @Benchmark
  public Integer brownoutGuard(Work work) throws Exception {
    return brownoutGuard.call(work.callable);
  }

  @Benchmark
  public int netflixConcurrencyLimits(Work work) {
    Optional<com.netflix.concurrency.limits.Limiter.Listener> listener = netflix.acquire(null);
    if (listener.isEmpty()) {
      return -1;
    }
    int result = work.seed;
    listener.get().onSuccess();
    return result;
  }
}
