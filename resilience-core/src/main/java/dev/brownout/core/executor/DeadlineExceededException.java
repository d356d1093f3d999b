package dev.brownout.core.executor;

/**
 * The failure of a task whose {@link Deadline} had passed when a worker was ready for it: the task was
 * not run, since nobody is waiting for its result any more.
 */
public final class DeadlineExceededException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  DeadlineExceededException(String task, String executor) {
    super("task '" + task + "' on executor '" + executor + "' was not run: its deadline had passed", null, false, false);
  }
}
