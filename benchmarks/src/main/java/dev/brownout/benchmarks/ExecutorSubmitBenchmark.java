package dev.brownout.benchmarks;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
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
 * What does handing a task to a bounded pool and waiting for its result cost? All three pools have
 * {@value #THREADS} workers and room for {@value #QUEUE} waiting tasks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExecutorSubmitBenchmark {

  static final int THREADS = 4;
  static final int QUEUE = 100;

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
    threadPoolBulkhead = ThreadPoolBulkhead.of("pool", ThreadPoolBulkheadConfig.custom()
        .coreThreadPoolSize(THREADS)
        .maxThreadPoolSize(THREADS)
        .queueCapacity(QUEUE)
        .keepAliveDuration(Duration.ofMillis(20))
        .build());
    boundedExecutor = BoundedExecutor.of("pool", ExecutorConfig.builder().maxRunning(THREADS).maxQueued(QUEUE).build());
  }

  @TearDown
  public void tearDown() throws Exception {
    threadPoolExecutor.shutdownNow();
    threadPoolBulkhead.close();
    boundedExecutor.shutdownNow();
  }

  @Benchmark
  public Integer brownout() throws Exception {
    return boundedExecutor.submit(task).get();
  }

  @Benchmark
  public Integer threadPoolExecutor() throws Exception {
    return threadPoolExecutor.submit(task).get();
  }

  @Benchmark
  public Integer resilience4jThreadPoolBulkhead() throws Exception {
    return threadPoolBulkhead.submit(task).toCompletableFuture().get();
  }
}
