package dev.brownout.core;

import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The runtime's scheduler of async retries and attempt timers, which can run at once what it has
 * not run yet. A plain {@link ScheduledThreadPoolExecutor} gives back its pending tasks on {@code
 * shutdownNow} but refuses to run them once stopped; each of them is an async call waiting for its
 * next attempt or for its attempt's end, and a call that is never resumed never completes and keeps
 * its permit. So each task keeps the runnable it was given, and close runs those (each ends its
 * call as closed).
 */
final class RuntimeScheduler extends ScheduledThreadPoolExecutor {

  RuntimeScheduler(ThreadFactory threads) {
    super(1, threads);
    setRemoveOnCancelPolicy(true);
  }

  @Override
  protected <V> RunnableScheduledFuture<V> decorateTask(
      Runnable runnable, RunnableScheduledFuture<V> task) {
    return new Pending<>(runnable, task);
  }

  /** Stops the scheduler, then runs on the calling thread each task it had not run. */
  void shutdownAndRunPending() {
    for (Runnable task : shutdownNow()) {
      if (task instanceof Pending<?> pending) {
        pending.runnable.run();
      }
    }
  }

  /** A scheduled task that remembers what it runs. */
  private static final class Pending<V> implements RunnableScheduledFuture<V> {
    final Runnable runnable;
    private final RunnableScheduledFuture<V> task;

    Pending(Runnable runnable, RunnableScheduledFuture<V> task) {
      this.runnable = runnable;
      this.task = task;
    }

    @Override
    public void run() {
      task.run();
    }

    @Override
    public boolean isPeriodic() {
      return task.isPeriodic();
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return task.getDelay(unit);
    }

    @Override
    public int compareTo(Delayed other) {
      return task.compareTo(other instanceof Pending<?> pending ? pending.task : other);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return task.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return task.isCancelled();
    }

    @Override
    public boolean isDone() {
      return task.isDone();
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
      return task.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      return task.get(timeout, unit);
    }
  }
}
