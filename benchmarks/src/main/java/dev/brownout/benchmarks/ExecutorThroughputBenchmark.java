package dev.brownout.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput rather than hand-off latency: each operation submits a batch of small tasks (within
 * the queue bound, so none is rejected) and waits for all of them; the figure is the time per task.
 * A single submit-and-wait ({@link ExecutorSubmitBenchmark}) mostly measures waking a worker, which
 * varies more from run to run than the pools differ.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecutorThroughputBenchmark {

  static final int BATCH = 64;

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int brownout(Pools pools, Work work) throws Exception {
    return batch(pools.boundedExecutor::submit, work.callable);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int threadPoolExecutor(Pools pools, Work work) throws Exception {
    return batch(pools.threadPoolExecutor::submit, work.callable);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int resilience4jThreadPoolBulkhead(Pools pools, Work work) throws Exception {
    return batch(
        task -> pools.threadPoolBulkhead.submit(task).toCompletableFuture(), work.callable);
  }

  /** Submits {@link #BATCH} copies of {@code task}, then waits for every one. */
  private static int batch(
      Function<Callable<Integer>, Future<Integer>> submit, Callable<Integer> task)
      throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(submit.apply(task));
    }
    int sum = 0;
    for (Future<Integer> future : futures) {
      sum += future.get();
    }
    return sum;
  }
}
