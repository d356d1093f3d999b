package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.recover.Recover;
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
 * What does having panic recovery in place cost a call that succeeds? Measured against the same
 * call bare and behind a hand-written {@code try/catch}, the least any recovery can cost; no peer
 * library offers recovery as a separate policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RecoveryOverheadBenchmark {

  private Brownout runtime;
  private Guard recovering;
  private Guard breakerOnly;
  private Guard breakerAndRecovery;
  private Callable<Integer> recoveringTask;

  @Setup
  public void setUp(Work work) {
    runtime = Brownout.builder().build();
    Recover recover = Recover.of(runtime);
    recovering = runtime.guard("recovering").recovery(recover.policy(incident -> -1)).build();
    breakerOnly =
        runtime.guard("breaker").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    breakerAndRecovery =
        runtime
            .guard("breaker-recovering")
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .recovery(recover.policy(incident -> -1))
            .build();
    recoveringTask = recover.callable("task", work.callable, incident -> -1);
  }

  @TearDown
  public void tearDown() {
    runtime.close();
  }

  @Benchmark
  public Integer baseline(Work work) throws Exception {
    return work.callable.call();
  }

  /** The least a recovery can cost: a try/catch written by hand. */
  @Benchmark
  public Integer handWritten(Work work) {
    try {
      return work.callable.call();
    } catch (Throwable thrown) {
      return -1;
    }
  }

  /** A guard whose only policy is recovery. */
  @Benchmark
  public Integer brownout(Work work) throws Exception {
    return recovering.call(work.callable);
  }

  /** A task wrapped by {@code Recover.callable}, as background work is. */
  @Benchmark
  public Integer brownoutTask() throws Exception {
    return recoveringTask.call();
  }

  /** A breaker without recovery, to set beside the next one. */
  @Benchmark
  public Integer brownoutBreaker(Work work) throws Exception {
    return breakerOnly.call(work.callable);
  }

  /** The same breaker with recovery outermost: the difference is recovery's cost inside a guard. */
  @Benchmark
  public Integer brownoutBreakerWithRecovery(Work work) throws Exception {
    return breakerAndRecovery.call(work.callable);
  }
}
