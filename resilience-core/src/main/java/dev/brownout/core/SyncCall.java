package dev.brownout.core;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The synchronous engine: a loop on the caller's thread that drives {@link GuardCore}'s decisions,
 * sleeps between attempts, runs a timed attempt in place under the runtime's timer, and an attempt
 * on the guard's executor when it has one. Static and stateless: a call allocates nothing here.
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
  static <T> T execute(GuardCore core, Object key, Object task, int kind, Fallback<T> fallback)
      throws Exception {
    if (core.direct()) {
      return attempts(core, key, task, kind, fallback);
    }
    return outer(core, key, task, kind, fallback);
  }

  /** The closed-runtime check, then recovery, the outermost policy, which sees whatever escapes. */
  @SuppressWarnings("unchecked") // a recovery value has the type of the caller's T
  private static <T> T outer(
      GuardCore core, Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
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
  private static <T> T admit(
      GuardCore core, Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    if (!core.admits(key)) {
      return (T) core.denied(key);
    }
    return attempts(core, key, task, kind, fallback);
  }

  /** What {@link #afterThrow} returns when the call goes on to another attempt. */
  private static final Object RETRY = new Object();

  /**
   * The retry loop. Kept small (the decisions are {@link GuardCore}'s, a failed attempt's end in
   * {@link #afterThrow}, a rejection's in {@link #afterRejection} and a rejected value's in {@link
   * #afterValue}) so that the JIT inlines it into the caller.
   */
  @SuppressWarnings("unchecked") // the task's result has the type of the caller's T
  private static <T> T attempts(
      GuardCore core, Object key, Object task, int kind, Fallback<T> fallback) throws Exception {
    long begun = core.startCall();
    int attempt = 1;
    while (true) {
      int home = core.home();
      RejectedCallException rejection;
      long permit = 0L;
      try {
        rejection = core.beforeAttempt(home, true);
        if (rejection == null && (permit = core.takeLimit(home)) == Limiter.REFUSED) {
          rejection = core.limitRejection();
        }
      } catch (Throwable hook) {
        return core.failed(key, hook, fallback, 0L, attempt);
      }
      if (rejection != null) {
        Object next = afterRejection(core, key, rejection, fallback, attempt, begun);
        if (next != RETRY) {
          return (T) next;
        }
        attempt++;
        continue;
      }
      long start = 0L;
      Object result;
      try {
        start = core.startAttempt();
        result =
            core.isolated
                ? invokeIsolated(core, key, task, kind, begun, attempt)
                : invoke(key, task, kind);
      } catch (Throwable failure) {
        Object next = afterThrow(core, key, failure, fallback, start, permit, attempt, home, begun);
        if (next != RETRY) {
          return (T) next;
        }
        attempt++;
        continue;
      }
      long decision;
      try {
        decision = core.onReturn(result, start, permit, attempt, home, begun);
      } catch (Throwable hook) {
        return core.failed(key, hook, fallback, 0L, attempt);
      }
      if (decision == GuardCore.SUCCESS) {
        core.succeeded(key, result);
        return (T) result;
      }
      Object next = afterValue(core, key, result, fallback, decision, attempt, begun);
      if (next != RETRY) {
        return (T) next;
      }
      attempt++;
    }
  }

  /**
   * An attempt that threw: {@link #RETRY} once the retry wait is over, or the call's end (the
   * fallback's value, or the failure, rejection or deadline thrown).
   */
  private static <T> Object afterThrow(
      GuardCore core,
      Object key,
      Throwable failure,
      Fallback<T> fallback,
      long start,
      long permit,
      int attempt,
      int home,
      long begun)
      throws Exception {
    long decision;
    try {
      decision = core.onThrow(failure, start, permit, attempt, home, begun);
    } catch (Throwable hook) {
      return core.failed(key, hook, fallback, 0L, attempt);
    }
    return waitOrEnd(core, key, failure, fallback, decision, attempt, begun);
  }

  /**
   * A rejection before the attempt: {@link #RETRY} if the retry opts in and the wait is over, or
   * the call's end.
   */
  private static <T> Object afterRejection(
      GuardCore core,
      Object key,
      RejectedCallException rejection,
      Fallback<T> fallback,
      int attempt,
      long begun)
      throws Exception {
    long decision;
    try {
      decision = core.onRejection(rejection, attempt, begun);
    } catch (Throwable hook) {
      return core.failed(key, hook, fallback, 0L, attempt);
    }
    return waitOrEnd(core, key, rejection, fallback, decision, attempt, begun);
  }

  /**
   * {@link #RETRY} once the wait is over, or the call's end; a deadline that passed during the wait
   * (a sleep may overrun it) ends the call before the next attempt starts.
   */
  private static <T> Object waitOrEnd(
      GuardCore core,
      Object key,
      Throwable failure,
      Fallback<T> fallback,
      long decision,
      int attempt,
      long begun)
      throws Exception {
    if (decision >= 0 && sleep(decision)) {
      return core.pastDeadline(begun)
          ? core.end(key, failure, fallback, GuardCore.DEADLINE, attempt)
          : RETRY;
    }
    return core.end(key, failure, fallback, decision, attempt);
  }

  /**
   * A value the retry predicate rejected: {@link #RETRY} once the wait for the next attempt is
   * over; the deadline's failure if there is no time for it; the value, counted a success, if the
   * wait was interrupted.
   */
  private static <T> Object afterValue(
      GuardCore core,
      Object key,
      Object result,
      Fallback<T> fallback,
      long decision,
      int attempt,
      long begun)
      throws Exception {
    if (decision != GuardCore.DEADLINE) {
      if (!sleep(decision)) {
        core.countSuccess(attempt);
        core.succeeded(key, result);
        return result;
      }
      if (!core.pastDeadline(begun)) {
        return RETRY;
      }
    }
    return core.end(key, null, fallback, GuardCore.DEADLINE, attempt);
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
   * An attempt with a timeout, a deadline or an executor: in place on the caller's thread under the
   * runtime's timer, or on the guard's executor.
   */
  private static Object invokeIsolated(
      GuardCore core, Object key, Object task, int kind, long begun, int attempt) throws Exception {
    long wait = core.attemptWait(begun);
    return core.executor == null
        ? invokeInPlace(core, key, task, kind, wait, attempt)
        : invokeOnExecutor(core, key, task, kind, wait, attempt);
  }

  /**
   * The attempt on the caller's thread, which the runtime's timer interrupts after {@code wait}. A
   * body that returns or throws after the timer fired (having ignored the interrupt, or stopped on
   * it) ends in the timeout's failure, whatever it gave; the interrupt never outlives the attempt
   * (see {@link RuntimeTimer}). The bulkhead permit is taken under the timer too: a call that waits
   * for one past its timeout ends in the timeout, without running.
   */
  private static Object invokeInPlace(
      GuardCore core, Object key, Object task, int kind, long wait, int attempt) throws Exception {
    if (wait <= 0) {
      throw core.attemptTimedOut(wait, attempt);
    }
    RuntimeTimer.Slot slot = core.runtime.timer().arm(wait);
    int permit = GuardCore.NO_PERMIT;
    Object result;
    try {
      permit = core.acquireOnWorker();
      result = invoke(key, task, kind);
    } catch (Throwable failure) {
      core.releaseOnWorker(permit);
      if (RuntimeTimer.settle(slot)) {
        throw core.attemptTimedOut(wait, attempt);
      }
      if (failure instanceof InterruptedException) {
        Thread.currentThread()
            .interrupt(); // someone else stopped the caller; its code must still see it
      }
      throw failure;
    }
    core.releaseOnWorker(permit);
    if (RuntimeTimer.settle(slot)) {
      throw core.attemptTimedOut(wait, attempt);
    }
    return result;
  }

  /**
   * The call on the guard's executor, which takes (and may wait for) the bulkhead permit and gives
   * it back when the call really ends. The caller waits for it under the runtime's timer, as an
   * in-place attempt runs: at {@code wait} the timer interrupts the caller's wait, which cancels
   * the task and ends the attempt in its timeout (one timer decides every timeout of the runtime,
   * whichever thread runs the body). A saturated or shut down executor is a rejection.
   */
  private static Object invokeOnExecutor(
      GuardCore core, Object key, Object task, int kind, long wait, int attempt) throws Exception {
    Callable<Object> call =
        () -> {
          int worker = core.acquireOnWorker();
          try {
            return invoke(key, task, kind);
          } finally {
            core.releaseOnWorker(worker);
          }
        };
    if (wait != GuardCore.NO_LIMIT && wait <= 0) {
      throw core.attemptTimedOut(wait, attempt);
    }
    Future<Object> future;
    try {
      future = core.executor.submit(core.name, call);
    } catch (RejectedExecutionException e) {
      // Saturated (ExecutorSaturatedException), or shut down while calls still arrive (a drain): a
      // rejection, not a failure.
      throw core.executorRejection;
    }
    RuntimeTimer.Slot slot = wait == GuardCore.NO_LIMIT ? null : core.runtime.timer().arm(wait);
    Object result = null;
    Throwable failure = null;
    try {
      result = future.get();
    } catch (Throwable thrown) { // interrupted (by the timer or not), or the task failed
      failure = thrown;
    }
    if (slot != null && RuntimeTimer.settle(slot)) {
      future.cancel(true); // the task may still run: stop it (a finished one is not touched)
      throw core.attemptTimedOut(wait, attempt);
    }
    if (failure == null) {
      return result;
    }
    if (failure instanceof InterruptedException) {
      future.cancel(true);
      Thread.currentThread()
          .interrupt(); // the wait cleared it; the caller's code must still see it
    }
    throw GuardCore.sneakyThrow(
        failure instanceof ExecutionException && failure.getCause() != null
            ? failure.getCause()
            : failure);
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
