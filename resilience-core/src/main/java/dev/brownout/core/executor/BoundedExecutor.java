package dev.brownout.core.executor;

import dev.brownout.core.internal.Settings;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A named {@link java.util.concurrent.ExecutorService} that cannot grow without bound: at most
 * {@code maxRunning} tasks run and at most {@code maxQueued} wait. A task past both bounds is
 * rejected to its caller with {@link ExecutorSaturatedException} (after {@code maxWait}, if one is
 * set); no task is ever dropped silently. A task carries its submitter's MDC, {@link Deadline} and
 * {@link ContextPropagator} context; one that fails is counted and its future completes
 * exceptionally, the worker lives on.
 *
 * <pre>{@code
 * BoundedExecutor executor = brownout.executor("render", ExecutorConfig.builder()
 *     .maxRunning(8).maxQueued(100).partition("feed", 30).build());
 * Future<Page> page = executor.submit("page", () -> render(request));
 * executor.partition("feed").execute("feed-refresh", feed::refresh);   // at most 2 of the 8 workers
 * DrainReport report = executor.shutdown(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>{@link #partition(String)} returns a view of the same executor that submits to one partition;
 * a view's lifecycle is its executor's (shut the executor down, not the view).
 */
public final class BoundedExecutor extends AbstractExecutorService {

  /** The name of the lane of tasks submitted to the executor itself, as in meter tags. */
  static final String SHARED = "shared";

  private final Dispatcher dispatcher;
  private final Lane lane;

  private BoundedExecutor(Dispatcher dispatcher, Lane lane) {
    this.dispatcher = dispatcher;
    this.lane = lane;
  }

  /**
   * A new executor named {@code name}; {@code Brownout.executor} also registers it and its meters.
   */
  public static BoundedExecutor of(String name, ExecutorConfig config) {
    Settings.name("executor.name", name);
    Settings.notNull("executor.config", config);
    Dispatcher dispatcher = new Dispatcher(name, config);
    return new BoundedExecutor(dispatcher, dispatcher.shared);
  }

  /** The executor's name (a partition view has its executor's name). */
  public String name() {
    return dispatcher.name;
  }

  /** The partition this view submits to, or {@code "shared"} for the executor itself. */
  public String partitionName() {
    return lane.name;
  }

  public ExecutorConfig config() {
    return dispatcher.config;
  }

  /**
   * A view of this executor whose tasks count against the partition {@code name}, declared in the
   * config.
   *
   * @throws IllegalArgumentException if the config declares no such partition
   */
  public BoundedExecutor partition(String name) {
    Lane partition = dispatcher.lane(name);
    if (partition == null || partition == dispatcher.shared) {
      throw Settings.invalid(
          "executor.partition",
          "'" + name + "'",
          "must be one of the partitions of executor '"
              + dispatcher.name
              + "' "
              + dispatcher.config.partitions().keySet());
    }
    return new BoundedExecutor(dispatcher, partition);
  }

  /** Submits a task with a name for logs, watchdog reports and drain reports. */
  public <T extends @Nullable Object> Future<T> submit(
      @Nullable String taskName, Callable<T> task) {
    Settings.notNull("task", task);
    BoundedTask<T> bounded = new BoundedTask<>(lane, taskName, task);
    dispatcher.submit(bounded);
    return bounded;
  }

  /** Runs a named task whose result nobody waits for; a failure is logged and counted. */
  public void execute(@Nullable String taskName, Runnable task) {
    Settings.notNull("task", task);
    dispatcher.submit(new BoundedTask<Void>(lane, taskName, task, null, true));
  }

  @Override
  public void execute(Runnable task) {
    if (task instanceof BoundedTask<?> bounded && bounded.lane.dispatcher == dispatcher) {
      dispatcher.submit(bounded); // from submit(), invokeAll() and invokeAny()
    } else {
      execute(null, task);
    }
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
    return new BoundedTask<>(lane, null, callable);
  }

  @Override
  protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
    return new BoundedTask<>(lane, null, runnable, value, false);
  }

  /** Tasks running now: the executor's, or this partition's. */
  public int running() {
    return isPartition() ? lane.running.get() : dispatcher.running();
  }

  /** Tasks waiting now: the executor's, or this partition's. */
  public int queued() {
    return isPartition() ? lane.queued.get() : dispatcher.queued();
  }

  /**
   * How full this executor (or partition) is: running and waiting tasks over the most it holds,
   * from 0 (idle) to 1 (full: the next task waits or is rejected). The signal a feature switch or
   * the brownout level follows to shed work before the executor starts rejecting.
   */
  public double saturation() {
    int capacity = maxRunning() + maxQueued();
    return capacity == 0 ? 1.0 : Math.min(1.0, (double) (running() + queued()) / capacity);
  }

  /** The most tasks that may run at once here (a partition's share, or the executor's bound). */
  public int maxRunning() {
    return lane.maxRunning;
  }

  public int maxQueued() {
    return lane.maxQueued;
  }

  /**
   * Tasks rejected to their callers so far: the executor's (all partitions), or this partition's.
   */
  public long rejected() {
    long sum = 0;
    for (Lane each : lanes()) {
      sum += each.rejected.sum();
    }
    return sum;
  }

  /** Tasks that failed so far (an exception or error), like {@link #rejected()}. */
  public long failed() {
    long sum = 0;
    for (Lane each : lanes()) {
      sum += each.failed.sum();
    }
    return sum;
  }

  /** Tasks the watchdog has reported as stuck (the whole executor's). */
  public long stuck() {
    return dispatcher.stuck.sum();
  }

  /**
   * The executor's meters: {@code brownout.executor.*} per partition and Micrometer's {@code
   * executor.*} for its pool of platform threads. {@code Brownout.executor} binds them for you.
   */
  public MeterBinder metrics() {
    return new ExecutorMeters(dispatcher);
  }

  /**
   * Drains the executor: stops taking tasks, lets running and queued tasks finish until {@code
   * timeout}, then cancels those still queued and interrupts those still running. Blocks until
   * then.
   */
  public DrainReport shutdown(Duration timeout) {
    Settings.notNegative("executor.shutdown.timeout", timeout);
    checkNotPartition("shutdown");
    return dispatcher.drain(timeout);
  }

  /** Stops taking tasks; running and queued tasks still run. */
  @Override
  public void shutdown() {
    checkNotPartition("shutdown");
    dispatcher.shutdown();
  }

  /**
   * Stops taking tasks, cancels the queued ones (their futures complete as cancelled; they are
   * returned) and interrupts the running ones.
   */
  @Override
  public List<Runnable> shutdownNow() {
    checkNotPartition("shutdownNow");
    return new ArrayList<>(dispatcher.stop().cancelled());
  }

  @Override
  public boolean isShutdown() {
    return dispatcher.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return dispatcher.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return dispatcher.awaitTermination(timeout, unit);
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  private boolean isPartition() {
    return lane != dispatcher.shared;
  }

  private Lane[] lanes() {
    return isPartition() ? new Lane[] {lane} : dispatcher.lanes;
  }

  private void checkNotPartition(String method) {
    if (isPartition()) {
      throw new UnsupportedOperationException(
          "'"
              + lane.name
              + "' is a partition of executor '"
              + dispatcher.name
              + "'; call "
              + method
              + " on the executor");
    }
  }

  @Override
  public String toString() {
    return "BoundedExecutor["
        + lane
        + ", running "
        + running()
        + "/"
        + maxRunning()
        + ", queued "
        + queued()
        + "/"
        + maxQueued()
        + "]";
  }
}
