package dev.brownout.core.executor;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at an executor's running tasks a few times per threshold and reports, once per task, each
 * one that has run longer than the threshold: a warning with its name, its age and its worker's
 * stack, and one on {@code brownout.executor.stuck}. Optionally it cancels the task, which
 * interrupts its worker. It reads each task's start time, written before the task took its slot; it
 * alone reads and writes the reported flag, from its one thread.
 */
final class Watchdog implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedExecutor.class);

  private final Dispatcher executor;
  private final long thresholdNanos;
  private final boolean interrupt;
  private final ScheduledThreadPoolExecutor timer;

  /** Where reports go: the log, or a test's list. */
  volatile Consumer<String> reports = LOG::warn;

  Watchdog(Dispatcher executor, Duration threshold, boolean interrupt) {
    this.executor = executor;
    this.thresholdNanos = threshold.toNanos();
    this.interrupt = interrupt;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "brownout-watchdog-" + executor.name);
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), thresholdNanos / 4);
    // run() catches what check() throws, so the schedule's future never holds a failure to look at.
    var unused = timer.scheduleWithFixedDelay(this, period, period, TimeUnit.NANOSECONDS);
  }

  @Override
  public void run() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("the watchdog of executor '{}' failed; it goes on", executor.name, e);
    }
  }

  synchronized void check() {
    long now = executor.ticker.read();
    for (BoundedTask<?> task : executor.slots.snapshot()) {
      long age = now - task.startedAt;
      Thread worker = task.worker;
      if (task.reportedStuck || age < thresholdNanos || worker == null) {
        continue;
      }
      task.reportedStuck = true;
      executor.stuck.increment();
      reports.accept(report(task, age, worker));
      if (interrupt) {
        task.cancel(true);
      }
    }
  }

  private String report(BoundedTask<?> task, long ageNanos, Thread worker) {
    StringBuilder text =
        new StringBuilder()
            .append("task '")
            .append(task.name())
            .append("' on executor '")
            .append(executor.name)
            .append("' has run for ")
            .append(TimeUnit.NANOSECONDS.toMillis(ageNanos))
            .append(" ms (stuck threshold ")
            .append(TimeUnit.NANOSECONDS.toMillis(thresholdNanos))
            .append(" ms)")
            .append(interrupt ? "; interrupting it" : "")
            .append("; worker '")
            .append(worker.getName())
            .append("' is at:");
    for (StackTraceElement frame : worker.getStackTrace()) {
      text.append("\n\tat ").append(frame);
    }
    return text.toString();
  }

  void stop() {
    timer.shutdownNow();
  }
}
