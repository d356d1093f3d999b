package dev.brownout.benchmarks;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The three pools the executor benchmarks compare, of one size: a plain {@link ThreadPoolExecutor}
 * (workers started), Resilience4j's {@link ThreadPoolBulkhead}, and Brownout's {@link
 * BoundedExecutor}.
 */
@State(Scope.Benchmark)
public class Pools {

  static final int THREADS = 4;
  static final int QUEUE = 256;

  ThreadPoolExecutor threadPoolExecutor;
  ThreadPoolBulkhead threadPoolBulkhead;
  BoundedExecutor boundedExecutor;

  @Setup
  public void setUp() {
    threadPoolExecutor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            new ThreadPoolExecutor.AbortPolicy());
    threadPoolExecutor.prestartAllCoreThreads();
    threadPoolBulkhead =
        ThreadPoolBulkhead.of(
            "pool",
            ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(THREADS)
                .maxThreadPoolSize(THREADS)
                .queueCapacity(QUEUE)
                .keepAliveDuration(Duration.ofMillis(20))
                .build());
    boundedExecutor =
        BoundedExecutor.of(
            "pool", ExecutorConfig.builder().maxRunning(THREADS).maxQueued(QUEUE).build());
  }

  @TearDown
  public void tearDown() throws Exception {
    threadPoolExecutor.shutdownNow();
    threadPoolBulkhead.close();
    boundedExecutor.shutdownNow();
  }
}
