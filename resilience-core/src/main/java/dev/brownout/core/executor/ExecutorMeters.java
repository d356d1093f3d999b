package dev.brownout.core.executor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;

/**
 * An executor's meters. Each reads the executor's own counters when the registry publishes, so a
 * task never touches a meter.
 *
 * <ul>
 *   <li>{@code brownout.executor.running}, {@code brownout.executor.queue.depth} (gauges; tags
 *       {@code executor}, {@code partition})
 *   <li>{@code brownout.executor.rejected}, {@code brownout.executor.failed} (counters; same tags)
 *   <li>{@code brownout.executor.stuck} (counter; tag {@code executor})
 *   <li>{@code brownout.executor.context.failed} (counter; tag {@code executor}): context
 *       propagator restores that threw
 *   <li>Micrometer's {@code executor.*} for the pool of platform threads (tag {@code name}); it
 *       counts hand-overs to the pool, and a worker that goes on with queued tasks runs them within
 *       one
 * </ul>
 */
final class ExecutorMeters implements MeterBinder {

  private final Dispatcher executor;

  ExecutorMeters(Dispatcher executor) {
    this.executor = executor;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (Lane lane : executor.lanes) {
      Tags tags = Tags.of("executor", executor.name, "partition", lane.name);
      Gauge.builder("brownout.executor.running", lane, l -> l.running.get())
          .description("Tasks running now")
          .tags(tags)
          .register(registry);
      Gauge.builder("brownout.executor.queue.depth", lane, l -> l.queued.get())
          .description("Tasks waiting for a worker")
          .tags(tags)
          .register(registry);
      FunctionCounter.builder("brownout.executor.rejected", lane, l -> l.rejected.sum())
          .description("Tasks rejected to their callers because the executor or partition was full")
          .tags(tags)
          .register(registry);
      FunctionCounter.builder("brownout.executor.failed", lane, l -> l.failed.sum())
          .description("Tasks that ended with an exception or error")
          .tags(tags)
          .register(registry);
    }
    FunctionCounter.builder("brownout.executor.stuck", executor, e -> e.stuck.sum())
        .description("Tasks reported by the watchdog for running longer than the stuck threshold")
        .tags("executor", executor.name)
        .register(registry);
    FunctionCounter.builder(
            "brownout.executor.context.failed", executor, e -> e.restoreFailures.sum())
        .description(
            "Context propagator restores that threw on a worker; the tasks' outcomes stood")
        .tags("executor", executor.name)
        .register(registry);
    if (executor.pool() != null) {
      new ExecutorServiceMetrics(executor.pool(), executor.name, Tags.empty()).bindTo(registry);
    }
  }
}
