package dev.brownout.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The synchronous engine: a loop on the caller's thread that drives {@link GuardCore}'s decisions,
 * sleeps between attempts, and runs an isolated attempt on another thread when the guard has a
 * timeout or an executor. Static and stateless: a call allocates nothing here.
 */
final class SyncCall {

  static final int CALLABLE = 0;
  static final int SUPPLIER = 1;
  static final int RUNNABLE = 2;
  static final int KEYED = 3;

  private SyncCall() {}

  /**
   * Runs one call through every policy. A guard without recovery or admission, in an open runtime,
   * goes straight to the attempts: one flag read, and a method small enough to inline.
   */
  static <T> T execute(GuardCore core, Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    if (core.direct()) {
      return attempts(core, key, task, kind, fallback);
    }
    return outer(core, key, task, kind, fallback);
  }

  /** The closed-runtime check, then recovery, the outermost policy, which sees whatever escapes. */
  @SuppressWarnings("unchecked") // a recovery value has the type of the caller's T
  private static <T> T outer(GuardCore core, Object key, Object task, int kind, Fallback<T> fallback)
      throws Exception {
    if (core.closed()) {
      throw core.closedFailure();
    }
    if (!core.recovers()) {
      return admit(core, key, task, kind, fallback);
    }
    try {
      return admit(core, key, task, kind, fallback);
    } catch (Throwable thrown) {
      return (T) core.recover(thrown);
    }
  }

  @SuppressWarnings("unchecked") // a substitute value has the type of the caller's T
  private static <T> T admit(GuardCore core, Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    if (!core.admits(key)) {
      return (T) core.denied(key);
    }
    return attempts(core, key, task, kind, fallback);
  }

  /** What {@link #afterThrow} returns when the call goes on to another attempt. */
  private static final Object RETRY = new Object();

  /**
   * The retry loop. Kept small (the decisions are {@link GuardCore}'s, a failed attempt's end in
   * {@link #afterThrow} and a rejected value's retry in {@link #retriesValue}) so that the JIT inlines
   * it into the caller.
   */
  @SuppressWarnings("unchecked") // the task's result has the type of the caller's T
  private static <T> T attempts(GuardCore core, Object key, Object task, int kind, Fallback<T> fallback)
      throws Exception {
    int attempt = 1;
    while (true) {
      int home = core.home();
      RejectedCallException rejection;
      try {
        rejection = core.beforeAttempt(home, true);
      } catch (Throwable hook) {
        return core.failed(key, hook, fallback, 0L, attempt);
      }
      if (rejection != null) {
        return core.rejected(key, rejection, fallback, attempt);
      }
      long start = 0L;
      Object result;
      try {
        start = core.startAttempt();
        result = core.isolated ? invokeIsolated(core, key, task, kind) : invoke(key, task, kind);
      } catch (Throwable failure) {
        Object next = afterThrow(core, key, failure, fallback, start, attempt, home);
        if (next == RETRY) {
          attempt++;
          continue;
        }
        return (T) next;
      }
      long decision;
      try {
        decision = core.onReturn(result, start, attempt, home);
      } catch (Throwable hook) {
        return core.failed(key, hook, fallback, 0L, attempt);
      }
      if (decision == GuardCore.SUCCESS) {
        core.succeeded(key, result);
        return (T) result;
      }
      if (!retriesValue(core, key, result, decision, attempt)) {
        return (T) result;
      }
      attempt++;
    }
  }

  /**
   * An attempt that threw: {@link #RETRY} once the retry wait is over, or the call's end (the
   * fallback's value, or the failure or rejection thrown).
   */
  private static <T> Object afterThrow(
      GuardCore core, Object key, Throwable failure, Fallback<T> fallback, long start, int attempt, int home)
      throws Exception {
    long decision;
    try {
      decision = core.onThrow(failure, start, attempt, home);
    } catch (Throwable hook) {
      return core.failed(key, hook, fallback, 0L, attempt);
    }
    if (decision >= 0 && sleep(decision)) {
      return RETRY;
    }
    if (decision == GuardCore.REJECTED) {
      return core.rejected(key, failure, fallback, attempt);
    }
    return core.failed(key, failure, fallback, decision >= 0 ? 0L : GuardCore.elapsedOf(decision), attempt);
  }

  /**
   * A value the retry predicate rejected: true once the wait for the next attempt is over; false if
   * the wait was interrupted, and then the value is the call's, counted a success.
   */
  private static boolean retriesValue(GuardCore core, Object key, Object result, long delay, int attempt) {
    if (sleep(delay)) {
      return true;
    }
    core.countSuccess(attempt);
    core.succeeded(key, result);
    return false;
  }

  /** Runs the task as the functional type its kind names. */
  @SuppressWarnings("unchecked") // a keyed call was given with a key of the type it takes
  static Object invoke(Object key, Object task, int kind) throws Exception {
    if (kind == CALLABLE) {
      return ((Callable<?>) task).call();
    }
    if (kind == KEYED) {
      return ((Guard.KeyedCall<Object, ?>) task).call(key);
    }
    if (kind == SUPPLIER) {
      return ((Supplier<?>) task).get();
    }
    ((Guard.ThrowingRunnable) task).run();
    return null;
  }

  /**
   * The call on the guard's executor or a runtime thread, which takes (and may wait for) the bulkhead
   * permit and gives it back when the call really ends; the caller waits at most the timeout. A full
   * pool is a rejection; a closed runtime fails the call as {@link #outer} does.
   */
  private static Object invokeIsolated(GuardCore core, Object key, Object task, int kind) throws Exception {
    Callable<Object> call =
        () -> {
          int worker = core.acquireOnWorker();
          try {
            return invoke(key, task, kind);
          } finally {
            core.releaseOnWorker(worker);
          }
        };
    Future<Object> future;
    if (core.executor == null) {
      try {
        future = core.runtime.timeoutExecutor().submit(call);
      } catch (IllegalStateException | RejectedExecutionException e) {
        throw core.closed() ? core.closedFailure() : core.timeoutRejection;
      }
    } else {
      try {
        future = core.executor.submit(core.name, call);
      } catch (RejectedExecutionException e) {
        // Saturated (ExecutorSaturatedException), or shut down while calls still arrive (a drain): a rejection, not a failure.
        throw core.executorRejection;
      }
    }
    try {
      return core.timeoutNanos > 0 ? future.get(core.timeoutNanos, TimeUnit.NANOSECONDS) : future.get();
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new CallTimeoutException(core.name, core.timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt(); // the wait cleared it; the caller's code must still see it
      throw e;
    } catch (ExecutionException e) {
      throw GuardCore.sneakyThrow(e.getCause());
    }
  }

  /** Waits before the next attempt; false (interrupt flag restored) if interrupted. */
  private static boolean sleep(long nanos) {
    if (nanos <= 0) {
      return true;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
