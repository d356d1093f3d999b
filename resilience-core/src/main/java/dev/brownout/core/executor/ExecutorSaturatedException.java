package dev.brownout.core.executor;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown to the submitter of a task that a {@link BoundedExecutor} has no room for: every worker
 * its partition may use is busy and the queue is full (after the configured wait, if any).
 * Saturation is expected under load, so the exception carries no stack trace; its message names the
 * executor, the partition and the bounds.
 */
public final class ExecutorSaturatedException extends RejectedExecutionException {

  private static final long serialVersionUID = 1L;

  private final String executor;
  private final String partition;

  ExecutorSaturatedException(String executor, String partition, String message) {
    super(message);
    this.executor = executor;
    this.partition = partition;
  }

  public String executor() {
    return executor;
  }

  /** The partition the task was submitted to, or {@code "shared"} for the executor itself. */
  public String partition() {
    return partition;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
