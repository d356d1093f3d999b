package dev.brownout.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does handing a task to a bounded pool and waiting for its result cost? All three pools have
 * {@value #THREADS} workers and room for {@value #QUEUE} waiting tasks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecutorSubmitBenchmark {

  @Benchmark
  public Integer brownout(Pools pools, Work work) throws Exception {
    return pools.boundedExecutor.submit(work.callable).get();
  }

  @Benchmark
  public Integer threadPoolExecutor(Pools pools, Work work) throws Exception {
    return pools.threadPoolExecutor.submit(work.callable).get();
  }

  @Benchmark
  public Integer resilience4jThreadPoolBulkhead(Pools pools, Work work) throws Exception {
    return pools.threadPoolBulkhead.submit(work.callable).toCompletableFuture().get();
  }
}
