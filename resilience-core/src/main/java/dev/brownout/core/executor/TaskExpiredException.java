package dev.brownout.core.executor;

/**
 * The failure of a task whose {@link Deadline} had passed when a worker was ready for it: the task
 * was not run, since nobody is waiting for its result any more. Not to be confused with {@link
 * dev.brownout.core.DeadlineExceededException}, a guard's whole call reaching its deadline.
 */
public final class TaskExpiredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  TaskExpiredException(String task, String executor) {
    super(
        "task '" + task + "' on executor '" + executor + "' was not run: its deadline had passed",
        null,
        false,
        false);
  }
}
