package dev.brownout.migration;

import dev.brownout.core.Brownout;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The experiments of one runtime (a {@link Brownout#component}): their names, which are their
 * meters' tags and so must be unique, the default lane their candidates run on, and the one timer
 * that ends candidates past their timeout. Closed with the runtime.
 *
 * <p>Why one timer thread and not a timed wait per candidate: a candidate's worker is busy running
 * it, so something else must notice when it overruns. One daemon thread per runtime does that for
 * every experiment; a candidate that ends in time cancels its entry (removed from the queue at
 * once), so the queue holds only the candidates running now, at most the lanes' sizes.
 */
final class Experiments implements AutoCloseable {

  /** The executor candidates run on unless the builder names another lane. */
  static final String DEFAULT_LANE = "brownout-experiments";

  /**
   * Two workers and no queue: a candidate runs at once on an idle worker or is skipped, and a
   * runtime's experiments together never take more than two threads from the service.
   */
  static final ExecutorConfig DEFAULT_LANE_CONFIG =
      ExecutorConfig.builder().maxRunning(2).maxQueued(0).build();

  private final Brownout runtime;
  private final Set<String> names = ConcurrentHashMap.newKeySet();
  private final Map<String, Experiment<?>> built = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor timer;

  private Experiments(Brownout runtime) {
    this.runtime = runtime;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "brownout-experiment-timer");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  static Experiments of(Brownout runtime) {
    return runtime.component(Experiments.class, Experiments::new);
  }

  void register(String name) {
    if (!names.add(name)) {
      throw new IllegalStateException(
          "experiment '"
              + name
              + "' already exists in this runtime; build it once and share it, or give the new one"
              + " its own feature");
    }
  }

  /** Keeps a built experiment, registered under its name before it was built, for lookups. */
  void built(Experiment<?> experiment) {
    built.put(experiment.name(), experiment);
  }

  Optional<Experiment<?>> find(String name) {
    return Optional.ofNullable(built.get(name));
  }

  List<Experiment<?>> all() {
    return built.values().stream().sorted(Comparator.comparing(Experiment::name)).toList();
  }

  BoundedExecutor defaultLane() {
    return runtime.executor(DEFAULT_LANE, DEFAULT_LANE_CONFIG);
  }

  /**
   * Runs {@code task} in {@code nanos}; null once the runtime is closed (nothing times out then).
   */
  @Nullable ScheduledFuture<?> schedule(Runnable task, long nanos) {
    try {
      return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
