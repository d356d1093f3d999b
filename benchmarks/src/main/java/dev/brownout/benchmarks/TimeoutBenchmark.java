package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.smallrye.faulttolerance.api.TypedGuard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
 * What does a synchronous call with a 1 s timeout that does not fire cost? Each library as its docs
 * recommend: Brownout in place on the runtime's timer, Resilience4j's TimeLimiter around a future
 * of a pool (it times futures only), Failsafe's Timeout with and without {@code withInterrupt()},
 * and SmallRye's {@code withTimeout}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TimeoutBenchmark {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  private Brownout brownout;
  private Guard brownoutTimeout;
  private TimeLimiter resilience4j;
  private ThreadPoolExecutor resilience4jPool;
  private FailsafeExecutor<Integer> failsafe;
  private FailsafeExecutor<Integer> failsafeWithInterrupt;
  private CheckedSupplier<Integer> failsafeCall;
  private TypedGuard<Integer> smallrye;

  @Setup
  public void setUp(Work work) {
    brownout = Brownout.builder().build();
    brownoutTimeout = brownout.guard("timeout").timeout(TIMEOUT).build();
    resilience4j = TimeLimiter.of(TIMEOUT);
    resilience4jPool =
        new ThreadPoolExecutor(
            Pools.THREADS,
            Pools.THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(Pools.QUEUE),
            new ThreadPoolExecutor.AbortPolicy());
    resilience4jPool.prestartAllCoreThreads();
    failsafe = Failsafe.with(Timeout.<Integer>of(TIMEOUT));
    failsafeWithInterrupt =
        Failsafe.with(Timeout.<Integer>builder(TIMEOUT).withInterrupt().build());
    failsafeCall = () -> work.seed;
    smallrye =
        TypedGuard.create(Integer.class)
            .withTimeout()
            .duration(TIMEOUT.toMillis(), ChronoUnit.MILLIS)
            .done()
            .build();
  }

  @TearDown
  public void tearDown() {
    brownout.close();
    resilience4jPool.shutdownNow();
  }

  @Benchmark
  public Integer baseline(Work work) throws Exception {
    return work.callable.call();
  }

  @Benchmark
  public Integer brownout(Work work) throws Exception {
    return brownoutTimeout.call(work.callable);
  }

  @Benchmark
  public Integer resilience4j(Work work) throws Exception {
    return resilience4j.executeFutureSupplier(() -> resilience4jPool.submit(work.callable));
  }

  @Benchmark
  public Integer failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Benchmark
  public Integer failsafeWithInterrupt() {
    return failsafeWithInterrupt.get(failsafeCall);
  }

  @Benchmark
  public Integer smallrye(Work work) {
    return smallrye.get(work.supplier);
  }
}
