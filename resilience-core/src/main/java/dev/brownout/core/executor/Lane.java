package dev.brownout.core.executor;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One partition of an executor (or its shared lane): its bounds, its counts and its queue. A lane's
 * counts are limits on top of the executor's: a task runs only with a permit from both.
 */
final class Lane {

  final Dispatcher dispatcher;
  final String executor;
  final String name;
  final int maxRunning;
  final int maxQueued;
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger queued = new AtomicInteger();
  final TaskQueue queue = new TaskQueue();
  final LongAdder rejected = new LongAdder();
  final LongAdder failed = new LongAdder();
  private final String saturation;

  Lane(Dispatcher dispatcher, String name, int maxRunning, int maxQueued, Duration maxWait) {
    this.dispatcher = dispatcher;
    this.executor = dispatcher.name;
    this.name = name;
    this.maxRunning = maxRunning;
    this.maxQueued = maxQueued;
    this.saturation =
        "executor '"
            + executor
            + "'"
            + (name.equals(BoundedExecutor.SHARED) ? "" : " partition '" + name + "'")
            + " is saturated: "
            + maxRunning
            + " running and "
            + maxQueued
            + " queued tasks at most"
            + (maxWait.isZero() ? "" : ", no room within " + maxWait);
  }

  /** A share of {@code total}: {@code percent} of it rounded down, at least {@code floor}. */
  static int share(int total, float percent, int floor) {
    return Math.min(total, Math.max(floor, (int) (total * (double) percent / 100d)));
  }

  ExecutorSaturatedException saturated() {
    return new ExecutorSaturatedException(executor, name, saturation);
  }

  /** Adds one to {@code count} unless it has reached {@code max}. */
  static boolean tryIncrement(AtomicInteger count, int max) {
    for (; ; ) {
      int now = count.get();
      if (now >= max) {
        return false;
      }
      if (count.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return executor + "/" + name;
  }
}
