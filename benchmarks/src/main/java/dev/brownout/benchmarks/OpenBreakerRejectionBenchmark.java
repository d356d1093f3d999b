package dev.brownout.benchmarks;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.netflix.hystrix.HystrixCommand;
import com.netflix.hystrix.HystrixCommandGroupKey;
import com.netflix.hystrix.HystrixCommandProperties;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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

/**
 * What does it cost to be turned away by an open breaker and served a fallback? Two ways to be
 * open: forced open by hand (the {@code brownout}, {@code resilience4j} and {@code failsafe} rows:
 * no library reads a clock then), and opened by real failures driven through it in setup, with a
 * wait of an hour so it stays open (the {@code …OpenedByFailures} rows, and SmallRye and Sentinel,
 * which can only open that way): the path users reach, where each rejection asks whether the wait
 * is over.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OpenBreakerRejectionBenchmark {

  private static final Integer FALLBACK = -1;

  private Brownout brownout;
  private Guard guard;
  private Fallback<Integer> fallback;
  private CircuitBreaker r4jBreaker;
  private Supplier<Integer> resilience4j;
  private FailsafeExecutor<Integer> failsafe;
  private CheckedSupplier<Integer> failsafeCall;
  private TypedGuard<Integer> smallrye;
  private HystrixCommand.Setter hystrix;
  private Guard opened;
  private Supplier<Integer> resilience4jOpened;
  private FailsafeExecutor<Integer> failsafeOpened;

  @Setup
  public void setUp(Work work) throws Exception {
    brownout = Brownout.builder().build();
    guard = brownout.guard("open").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    guard.circuitBreaker().orElseThrow().forceOpen();
    fallback = Fallback.value(FALLBACK);

    r4jBreaker = CircuitBreaker.ofDefaults("open");
    r4jBreaker.transitionToForcedOpenState();
    resilience4j = CircuitBreaker.decorateSupplier(r4jBreaker, work.supplier);

    dev.failsafe.CircuitBreaker<Integer> failsafeBreaker = dev.failsafe.CircuitBreaker.ofDefaults();
    failsafeBreaker.open();
    failsafe = Failsafe.with(dev.failsafe.Fallback.of(FALLBACK), failsafeBreaker);
    failsafeCall = () -> work.seed;

    smallrye =
        TypedGuard.create(Integer.class)
            .withFallback()
            .handler(() -> FALLBACK)
            .done()
            .withCircuitBreaker()
            .requestVolumeThreshold(4)
            .failureRatio(0.5)
            .delay(1, ChronoUnit.HOURS)
            .done()
            .build();
    for (int i = 0; i < 4; i++) {
      smallrye.call(
          () -> {
            throw new IllegalStateException("opening the breaker");
          });
    }

    openByFailures(work);

    DegradeRuleManager.loadRules(
        List.of(
            new DegradeRule("open")
                .setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_COUNT)
                .setCount(1)
                .setTimeWindow(3_600)
                .setMinRequestAmount(1)
                .setStatIntervalMs(60_000)));
    for (int i = 0; i < 3; i++) {
      try {
        Entry entry = SphU.entry("open");
        Tracer.traceEntry(new IllegalStateException("opening the breaker"), entry);
        entry.exit();
      } catch (BlockException alreadyOpen) {
        break;
      }
    }

    hystrix =
        HystrixCommand.Setter.withGroupKey(HystrixCommandGroupKey.Factory.asKey("open"))
            .andCommandPropertiesDefaults(
                HystrixCommandProperties.Setter()
                    .withExecutionIsolationStrategy(
                        HystrixCommandProperties.ExecutionIsolationStrategy.SEMAPHORE)
                    .withCircuitBreakerForceOpen(true)
                    .withFallbackIsolationSemaphoreMaxConcurrentRequests(1_000)
                    .withExecutionTimeoutEnabled(false));
  }

  /**
   * Each library's breaker with a window of 10 calls and an hour in OPEN, opened by 10 failures.
   */
  private void openByFailures(Work work) throws Exception {
    IllegalStateException down = new IllegalStateException("opening the breaker");
    opened =
        brownout
            .guard("opened")
            .circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 10, 10)
                    .waitDurationInOpenState(Duration.ofHours(1))
                    .build())
            .build();
    for (int i = 0; i < 10; i++) {
      opened.call(
          () -> {
            throw down;
          },
          fallback);
    }
    check(
        opened.circuitBreaker().orElseThrow().state()
            == dev.brownout.core.CircuitBreaker.State.OPEN,
        "Brownout");

    CircuitBreaker r4jOpened =
        CircuitBreaker.of(
            "opened",
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
                .slidingWindow(
                    10,
                    10,
                    io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType
                        .COUNT_BASED)
                .waitDurationInOpenState(Duration.ofHours(1))
                .writableStackTraceEnabled(false) // its fastest rejection: no stack trace per call
                .build());
    Supplier<Integer> failing =
        CircuitBreaker.decorateSupplier(
            r4jOpened,
            () -> {
              throw down;
            });
    for (int i = 0; i < 10; i++) {
      try {
        var unused = failing.get();
      } catch (IllegalStateException expected) {
        // a failure recorded by the breaker
      }
    }
    check(r4jOpened.getState() == CircuitBreaker.State.OPEN, "Resilience4j");
    resilience4jOpened = CircuitBreaker.decorateSupplier(r4jOpened, work.supplier);

    dev.failsafe.CircuitBreaker<Integer> failsafeBreaker =
        dev.failsafe.CircuitBreaker.<Integer>builder()
            .withFailureThreshold(10, 10)
            .withDelay(Duration.ofHours(1))
            .build();
    failsafeOpened = Failsafe.with(dev.failsafe.Fallback.of(FALLBACK), failsafeBreaker);
    for (int i = 0; i < 10; i++) {
      failsafeOpened.get(
          () -> {
            throw down;
          });
    }
    check(failsafeBreaker.isOpen(), "Failsafe");
  }

  private static void check(boolean open, String library) {
    if (!open) {
      throw new IllegalStateException(library + "'s breaker did not open after 10 failures");
    }
  }

  @TearDown
  public void tearDown() {
    brownout.close();
    DegradeRuleManager.loadRules(List.of());
  }

  @Benchmark
  public Integer brownout(Work work) throws Exception {
    return guard.call(work.callable, fallback);
  }

  @Benchmark
  public Integer brownoutOpenedByFailures(Work work) throws Exception {
    return opened.call(work.callable, fallback);
  }

  @Benchmark
  public Integer resilience4jOpenedByFailures() {
    try {
      return resilience4jOpened.get();
    } catch (CallNotPermittedException rejected) {
      return FALLBACK;
    }
  }

  @Benchmark
  public Integer failsafeOpenedByFailures() {
    return failsafeOpened.get(failsafeCall);
  }

  @Benchmark
  public Integer resilience4j() {
    // What Resilience4j's Decorators.withFallback does: catch the rejection, serve the fallback.
    try {
      return resilience4j.get();
    } catch (CallNotPermittedException rejected) {
      return FALLBACK;
    }
  }

  @Benchmark
  public Integer failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Benchmark
  public Integer smallrye(Work work) {
    return smallrye.get(work.supplier);
  }

  @Benchmark
  public Integer sentinel(Work work) {
    try {
      Entry entry = SphU.entry("open");
      try {
        return work.seed;
      } finally {
        entry.exit();
      }
    } catch (BlockException rejected) {
      return FALLBACK;
    }
  }

  @Benchmark
  public Integer hystrix(Work work) {
    return new ClosedBreakerBenchmark.Command(hystrix, work).execute();
  }
}
