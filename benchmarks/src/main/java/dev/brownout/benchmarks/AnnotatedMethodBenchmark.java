package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.core.annotation.Bulkhead;
import dev.brownout.core.annotation.CircuitBreaker;
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
 * Does a method guarded by annotations cost more than the same guard built by hand? The annotated
 * interface below goes through the processor in this module's build (see its pom), and {@code
 * brownout.wrap} returns the generated {@code Guarded_AnnotatedMethodBenchmark_Prices}.
 *
 * <p>Two shapes of method: one without parameters, whose generated class builds the call once, and
 * one with a parameter, whose call captures the argument, as a call written by hand does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class AnnotatedMethodBenchmark {

  /** A dependency behind a breaker and a bulkhead, configured by annotations. */
  @CircuitBreaker
  @Bulkhead(maxConcurrentCalls = 25)
  public interface Prices {
    int price(int item);

    int cheapest();
  }

  /** The implementation: about a nanosecond of work, like {@link Work}. */
  static final class PriceList implements Prices {
    private final Work work;

    PriceList(Work work) {
      this.work = work;
    }

    @Override
    public int price(int item) {
      return item + 1;
    }

    @Override
    public int cheapest() {
      return work.seed;
    }
  }

  private Brownout brownout;
  private Prices bare;
  private Prices annotated;
  private Guard guard;
  private Guard noArgumentsGuard;
  private Callable<Integer> cheapest;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    bare = new PriceList(work);
    annotated = brownout.wrap(Prices.class, bare);
    guard = byHand("by-hand.price");
    noArgumentsGuard = byHand("by-hand.cheapest");
    cheapest = bare::cheapest;
  }

  private Guard byHand(String name) {
    return brownout
        .guard(name)
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(25).build())
        .build();
  }

  @TearDown
  public void tearDown() {
    brownout.close();
  }

  @Benchmark
  public int baseline(Work work) {
    return bare.price(work.seed);
  }

  @Benchmark
  public int annotated(Work work) {
    return annotated.price(work.seed);
  }

  /** The same guard, called the way a user writes it by hand. */
  @Benchmark
  public int brownout(Work work) throws Exception {
    int item = work.seed;
    return guard.call(() -> bare.price(item));
  }

  @Benchmark
  public int baselineNoArguments() {
    return bare.cheapest();
  }

  @Benchmark
  public int annotatedNoArguments() {
    return annotated.cheapest();
  }

  /** By hand, with the call built once, as the generated class builds it. */
  @Benchmark
  public int brownoutNoArguments() throws Exception {
    return noArgumentsGuard.call(cheapest);
  }
}
