package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.smallrye.faulttolerance.api.TypedGuard;
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

/** What do breaker, bulkhead and retry together cost on the happy path? */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BreakerBulkheadRetryBenchmark {

  private Brownout brownout;
  private Guard guard;
  private Supplier<Integer> resilience4j;
  private FailsafeExecutor<Integer> failsafe;
  private CheckedSupplier<Integer> failsafeCall;
  private TypedGuard<Integer> smallrye;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    guard =
        brownout
            .guard("happy")
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .bulkhead(BulkheadConfig.ofDefaults())
            .retry(RetryConfig.ofDefaults())
            .build();
    // Resilience4j's documented order: Retry(CircuitBreaker(Bulkhead(call))).
    Supplier<Integer> bulkheaded =
        Bulkhead.decorateSupplier(Bulkhead.ofDefaults("happy"), work.supplier);
    Supplier<Integer> broken =
        CircuitBreaker.decorateSupplier(CircuitBreaker.ofDefaults("happy"), bulkheaded);
    resilience4j = Retry.decorateSupplier(Retry.ofDefaults("happy"), broken);
    failsafe =
        Failsafe.with(
            RetryPolicy.<Integer>ofDefaults(),
            dev.failsafe.CircuitBreaker.<Integer>ofDefaults(),
            dev.failsafe.Bulkhead.<Integer>of(25));
    failsafeCall = () -> work.seed;
    smallrye =
        TypedGuard.create(Integer.class)
            .withRetry()
            .done()
            .withCircuitBreaker()
            .done()
            .withBulkhead()
            .done()
            .build();
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
  public Integer brownout(Work work) throws Exception {
    return guard.call(work.callable);
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.get();
  }

  @Benchmark
  public Integer failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Benchmark
  public Integer smallrye(Work work) {
    return smallrye.get(work.supplier);
  }
}
