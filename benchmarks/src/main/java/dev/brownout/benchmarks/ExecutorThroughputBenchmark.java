package dev.brownout.benchmarks;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput rather than hand-off latency: each operation submits a batch of small tasks (within the
 * queue bound, so none is rejected) and waits for all of them; the figure is the time per task. A
 * single submit-and-wait ({@link ExecutorSubmitBenchmark}) mostly measures waking a worker, which
 * varies more from run to run than the pools differ.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecutorThroughputBenchmark {

  static final int THREADS = 4;
  static final int QUEUE = 256;
  static final int BATCH = 64;

  private ThreadPoolExecutor threadPoolExecutor;
  private ThreadPoolBulkhead threadPoolBulkhead;
  private BoundedExecutor boundedExecutor;
  private Callable<Integer> task;

  @Setup
  public void setUp(Work work) {
    task = work.callable;
    threadPoolExecutor = new ThreadPoolExecutor(
        THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), new ThreadPoolExecutor.AbortPolicy());
    threadPoolExecutor.prestartAllCoreThreads();
    threadPoolBulkhead = ThreadPoolBulkhead.of("batch", ThreadPoolBulkheadConfig.custom()
        .coreThreadPoolSize(THREADS)
        .maxThreadPoolSize(THREADS)
        .queueCapacity(QUEUE)
        .keepAliveDuration(Duration.ofMillis(20))
        .build());
    boundedExecutor = BoundedExecutor.of("batch", ExecutorConfig.builder().maxRunning(THREADS).maxQueued(QUEUE).build());
  }

  @TearDown
  public void tearDown() throws Exception {
    threadPoolExecutor.shutdownNow();
    threadPoolBulkhead.close();
    boundedExecutor.shutdownNow();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int brownout() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(boundedExecutor.submit(task));
    }
    return sum(futures);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int threadPoolExecutor() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(threadPoolExecutor.submit(task));
    }
    return sum(futures);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int resilience4jThreadPoolBulkhead() throws Exception {
    List<Future<Integer>> futures = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      futures.add(threadPoolBulkhead.submit(task).toCompletableFuture());
    }
    return sum(futures);
  }

  private static int sum(List<Future<Integer>> futures) throws Exception {
    int sum = 0;
    for (Future<Integer> future : futures) {
      sum += future.get();
    }
    return sum;
  }
}
