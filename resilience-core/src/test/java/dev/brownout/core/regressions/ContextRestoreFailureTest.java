package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ContextPropagator;
import dev.brownout.core.executor.ExecutorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 15: a {@link ContextPropagator#restore} that threw killed the pool worker (197
 * times in 20,000 tasks), printed to standard error and counted nowhere. A failing restore is
 * contained (the worker lives on and the task's outcome stands), counted, and logged once per
 * propagator and cause.
 */
class ContextRestoreFailureTest {

  /**
   * A propagator whose restore throws what {@code failure} supplies on every {@code every}-th call.
   */
  private static final class FailingRestore implements ContextPropagator<String> {
    private final int every;
    private final Supplier<? extends RuntimeException> runtime;
    private final Supplier<? extends Error> error;
    final AtomicInteger restores = new AtomicInteger();
    final AtomicInteger thrown = new AtomicInteger();

    FailingRestore(
        int every, Supplier<? extends RuntimeException> runtime, Supplier<? extends Error> error) {
      this.every = every;
      this.runtime = runtime;
      this.error = error;
    }

    @Override
    public String capture() {
      return "captured";
    }

    @Override
    public String attach(String captured) {
      return "before";
    }

    @Override
    public void restore(String previous) {
      if (restores.incrementAndGet() % every == 0) {
        thrown.incrementAndGet();
        if (runtime != null) {
          throw runtime.get();
        }
        throw error.get();
      }
    }
  }

  @Test
  void aThrowingRestoreIsContainedCountedAndLoggedOncePerPropagatorAndCause() throws Exception {
    FailingRestore tenant =
        new FailingRestore(3, () -> new IllegalStateException("tenant store closed"), null);
    FailingRestore trace =
        new FailingRestore(5, null, () -> new AssertionError("span already ended"));
    AtomicInteger threads = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    BoundedExecutor executor =
        BoundedExecutor.of(
            "restore-failures",
            ExecutorConfig.builder()
                .maxRunning(2)
                .maxQueued(10_000)
                .contextPropagator(tenant)
                .contextPropagator(trace)
                .threadFactory(
                    task -> {
                      Thread thread =
                          new Thread(task, "restore-failures-" + threads.incrementAndGet());
                      thread.setDaemon(true);
                      thread.setUncaughtExceptionHandler((t, e) -> escaped.add(e));
                      return thread;
                    })
                .build());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    executor.metrics().bindTo(registry);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream standardErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        int value = i;
        results.add(executor.submit(() -> value));
      }
      for (int i = 0; i < results.size(); i++) {
        assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      }
      executor.shutdown();
      assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      System.setErr(standardErr);
    }

    assertThat(escaped).isEmpty();
    assertThat(threads.get()).as("workers started").isEqualTo(2);
    assertThat(tenant.restores.get()).isEqualTo(3_000);
    assertThat(trace.restores.get()).isEqualTo(3_000);
    assertThat(
            registry
                .get("brownout.executor.context.failed")
                .tag("executor", "restore-failures")
                .functionCounter()
                .count())
        .isEqualTo(tenant.thrown.get() + trace.thrown.get());
    assertThat(registry.get("brownout.executor.failed").functionCounters())
        .allSatisfy(failed -> assertThat(failed.count()).isZero());
    List<String> lines =
        err.toString(StandardCharsets.UTF_8)
            .lines()
            .filter(line -> line.contains("while restoring"))
            .toList();
    assertThat(lines)
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("IllegalStateException"))
        .anySatisfy(line -> assertThat(line).contains("AssertionError"));
  }
}
