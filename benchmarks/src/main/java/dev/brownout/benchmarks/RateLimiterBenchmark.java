package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.RateLimiterConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RateLimiter;
import dev.failsafe.function.CheckedSupplier;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
 * What does a call through a rate limiter cost when the rate admits it? Each library as its docs
 * recommend, with a limit no benchmark thread can reach (a billion calls a second), so every call
 * is admitted and what is measured is the decision, not a refusal or a wait: Brownout's guard with
 * a SMOOTH and a FIXED_WINDOW limiter, Resilience4j's {@code AtomicRateLimiter} (the default of
 * {@code RateLimiter.of}) around the call, Failsafe's smooth and bursty {@code RateLimiter}, and
 * SmallRye's {@code withRateLimit}. The {@code refused*} rows measure a refusal: a limit of one
 * call an hour, already spent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RateLimiterBenchmark {

  private static final int PER_SECOND = 1_000_000_000;

  private Brownout brownout;
  private Guard brownoutSmooth;
  private Guard brownoutFixedWindow;
  private Guard brownoutRefusing;
  private Callable<Integer> resilience4j;
  private Callable<Integer> resilience4jRefusing;
  private FailsafeExecutor<Integer> failsafeSmooth;
  private FailsafeExecutor<Integer> failsafeBursty;
  private CheckedSupplier<Integer> failsafeCall;
  private TypedGuard<Integer> smallrye;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    brownoutSmooth =
        brownout.guard("smooth").rateLimiter(RateLimiterConfig.perSecond(PER_SECOND)).build();
    brownoutFixedWindow =
        brownout
            .guard("fixed-window")
            .rateLimiter(
                RateLimiterConfig.builder()
                    .kind(RateLimiterConfig.Kind.FIXED_WINDOW)
                    .limit(PER_SECOND)
                    .period(Duration.ofSeconds(1))
                    .build())
            .build();
    brownoutRefusing =
        brownout
            .guard("refusing")
            .rateLimiter(RateLimiterConfig.builder().limit(1).period(Duration.ofHours(1)).build())
            .build();
    try {
      brownoutRefusing.call(work.callable); // spends the hour's one call
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    // Decorated once, as a service would hold its decorated call.
    resilience4j =
        io.github.resilience4j.ratelimiter.RateLimiter.decorateCallable(
            io.github.resilience4j.ratelimiter.RateLimiter.of(
                "resilience4j",
                resilience4jConfig()
                    .limitForPeriod(PER_SECOND)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .build()),
            work.callable);
    io.github.resilience4j.ratelimiter.RateLimiter spent =
        io.github.resilience4j.ratelimiter.RateLimiter.of(
            "resilience4j-refusing",
            resilience4jConfig().limitForPeriod(1).limitRefreshPeriod(Duration.ofHours(1)).build());
    spent.acquirePermission();
    resilience4jRefusing =
        io.github.resilience4j.ratelimiter.RateLimiter.decorateCallable(spent, work.callable);
    failsafeSmooth =
        Failsafe.with(
            RateLimiter.<Integer>smoothBuilder(PER_SECOND, Duration.ofSeconds(1)).build());
    failsafeBursty =
        Failsafe.with(
            RateLimiter.<Integer>burstyBuilder(PER_SECOND, Duration.ofSeconds(1)).build());
    failsafeCall = () -> work.seed;
    smallrye =
        TypedGuard.create(Integer.class)
            .withRateLimit()
            .limit(PER_SECOND)
            .window(1, ChronoUnit.SECONDS)
            .done()
            .build();
  }

  /** No wait for a permit: a call over the rate is refused at once, as in every other row. */
  private static io.github.resilience4j.ratelimiter.RateLimiterConfig.Builder resilience4jConfig() {
    return io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
        .timeoutDuration(Duration.ZERO);
  }

  @TearDown
  public void tearDown() {
    brownout.close();
  }

  @Benchmark
  public Integer baseline(Work work) throws Exception {
    return work.callable.call();
  }

  @Benchmark
  public Integer brownoutSmooth(Work work) throws Exception {
    return brownoutSmooth.call(work.callable);
  }

  @Benchmark
  public Integer brownoutFixedWindow(Work work) throws Exception {
    return brownoutFixedWindow.call(work.callable);
  }

  @Benchmark
  public Integer resilience4j(Work work) throws Exception {
    return resilience4j.call();
  }

  @Benchmark
  public Integer failsafeSmooth() {
    return failsafeSmooth.get(failsafeCall);
  }

  @Benchmark
  public Integer failsafeBursty() {
    return failsafeBursty.get(failsafeCall);
  }

  @Benchmark
  public Integer smallrye(Work work) {
    return smallrye.get(work.supplier);
  }

  @Benchmark
  public Object refusedBrownout(Work work) {
    try {
      return brownoutRefusing.call(work.callable);
    } catch (Exception refused) {
      return refused;
    }
  }

  @Benchmark
  public Object refusedResilience4j() {
    try {
      return resilience4jRefusing.call();
    } catch (Exception refused) {
      return refused;
    }
  }
}
