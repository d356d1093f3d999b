package dev.brownout.core.executor;

import java.util.List;

/**
 * What a {@link BoundedExecutor#shutdown(java.time.Duration) drain} did, by task name: the tasks
 * that ended while it waited, the queued tasks it cancelled at the deadline, and the running tasks
 * it interrupted then.
 */
public record DrainReport(
    List<String> completed, List<String> cancelledQueued, List<String> interruptedRunning) {

  public DrainReport {
    completed = List.copyOf(completed);
    cancelledQueued = List.copyOf(cancelledQueued);
    interruptedRunning = List.copyOf(interruptedRunning);
  }

  /** True if every task ended on its own before the deadline. */
  public boolean clean() {
    return cancelledQueued.isEmpty() && interruptedRunning.isEmpty();
  }
}
