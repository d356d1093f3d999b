package dev.brownout.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.netflix.hystrix.HystrixCommand;
import com.netflix.hystrix.HystrixCommandGroupKey;
import com.netflix.hystrix.HystrixCommandProperties;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.util.List;
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

/** What does a closed circuit breaker cost per call? */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ClosedBreakerBenchmark {

  private Brownout brownout;
  private Guard brownoutBreaker;
  private Guard brownoutBreakerAndBulkhead;
  private Supplier<Integer> resilience4j;
  private Supplier<Integer> resilience4jWithBulkhead;
  private FailsafeExecutor<Integer> failsafe;
  private FailsafeExecutor<Integer> failsafeWithBulkhead;
  private TypedGuard<Integer> smallryeWithBulkhead;
  private CheckedSupplier<Integer> failsafeCall;
  private TypedGuard<Integer> smallrye;
  private HystrixCommand.Setter hystrix;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    brownoutBreaker =
        brownout.guard("breaker").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    brownoutBreakerAndBulkhead =
        brownout
            .guard("breaker-bulkhead")
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .bulkhead(BulkheadConfig.ofDefaults())
            .build();
    resilience4j =
        CircuitBreaker.decorateSupplier(CircuitBreaker.ofDefaults("closed"), work.supplier);
    resilience4jWithBulkhead =
        CircuitBreaker.decorateSupplier(
            CircuitBreaker.ofDefaults("closed-bulkhead"),
            io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(
                io.github.resilience4j.bulkhead.Bulkhead.ofDefaults("closed"), work.supplier));
    failsafe = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>ofDefaults());
    failsafeWithBulkhead =
        Failsafe.with(
            dev.failsafe.CircuitBreaker.<Integer>ofDefaults(),
            dev.failsafe.Bulkhead.<Integer>of(25));
    failsafeCall = () -> work.seed;
    smallrye = TypedGuard.create(Integer.class).withCircuitBreaker().done().build();
    smallryeWithBulkhead =
        TypedGuard.create(Integer.class).withCircuitBreaker().done().withBulkhead().done().build();
    DegradeRule rule =
        new DegradeRule("closed")
            .setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO)
            .setCount(0.5)
            .setTimeWindow(60)
            .setMinRequestAmount(100);
    DegradeRuleManager.loadRules(List.of(rule));
    hystrix =
        HystrixCommand.Setter.withGroupKey(HystrixCommandGroupKey.Factory.asKey("closed"))
            .andCommandPropertiesDefaults(
                HystrixCommandProperties.Setter()
                    .withExecutionIsolationStrategy(
                        HystrixCommandProperties.ExecutionIsolationStrategy.SEMAPHORE)
                    .withExecutionIsolationSemaphoreMaxConcurrentRequests(1_000)
                    .withExecutionTimeoutEnabled(false));
  }

  @TearDown
  public void tearDown() {
    brownout.close();
    DegradeRuleManager.loadRules(List.of());
  }

  @Benchmark
  public Integer baseline(Work work) throws Exception {
    return work.callable.call();
  }

  @Benchmark
  public Integer brownout(Work work) throws Exception {
    return brownoutBreaker.call(work.callable);
  }

  @Benchmark
  public Integer brownoutWithBulkhead(Work work) throws Exception {
    return brownoutBreakerAndBulkhead.call(work.callable);
  }

  @Benchmark
  public Integer resilience4j() {
    return resilience4j.get();
  }

  @Benchmark
  public Integer resilience4jWithBulkhead() {
    return resilience4jWithBulkhead.get();
  }

  @Benchmark
  public Integer failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Benchmark
  public Integer failsafeWithBulkhead() {
    return failsafeWithBulkhead.get(failsafeCall);
  }

  @Benchmark
  public Integer smallrye(Work work) {
    return smallrye.get(work.supplier);
  }

  @Benchmark
  public Integer smallryeWithBulkhead(Work work) {
    return smallryeWithBulkhead.get(work.supplier);
  }

  @Benchmark
  public Integer sentinel(Work work) throws BlockException {
    Entry entry = SphU.entry("closed");
    try {
      return work.seed;
    } finally {
      entry.exit();
    }
  }

  @Benchmark
  public Integer hystrix(Work work) {
    return new Command(hystrix, work).execute();
  }

  /** Hystrix wants a command object per call; that allocation is part of its cost. */
  static final class Command extends HystrixCommand<Integer> {
    private final Work work;

    Command(HystrixCommand.Setter setter, Work work) {
      super(setter);
      this.work = work;
    }

    @Override
    protected Integer run() {
      return work.seed;
    }

    @Override
    protected Integer getFallback() {
      return -1;
    }
  }
}
