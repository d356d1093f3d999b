package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The asynchronous engine: one call through a guard, driven by completion callbacks through the
 * same {@link GuardCore} decisions as the synchronous loop. It is itself the stage the caller gets.
 *
 * <p>Design note. Each attempt's end is decided once, by whichever comes first, the attempt's stage
 * completing or the timeout: a CAS on the attempt's slot of the runtime's {@link RuntimeTimer},
 * whose entry is this call, so a timed attempt allocates no timer task and no flag (an untimed
 * attempt has nothing to race, and no slot). The bulkhead permit is returned only when the stage
 * really ends, since until then the work still occupies the dependency. The call as a whole has one
 * {@code state}: RUNNING while attempts go on, DECIDING while an attempt's end is being decided,
 * ENDED once the call has been counted. A caller's {@link #cancel} that finds the call RUNNING ends
 * it (counted as a failure) and cancels the attempt in flight and any scheduled retry; one that
 * finds it DECIDING leaves the counting to the decider, which looks at {@link #isCancelled()}
 * before it schedules another attempt. So a cancelled call is counted exactly once, runs no further
 * attempt, and every attempt still gives back its breaker permission and bulkhead permit.
 *
 * <p>Retry waits stay on the runtime's {@link RuntimeScheduler}: a wait follows a failed attempt,
 * off the path where cost matters, and a backoff of seconds would keep the timer ticking every
 * millisecond for nothing, where the scheduler sleeps until its next task.
 */
final class AsyncCall<T> extends CompletableFuture<T> {

  private static final int RUNNING = 0;
  private static final int DECIDING = 1;
  private static final int ENDED = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(AsyncCall.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final GuardCore core;
  private final Object key;
  private final Supplier<? extends CompletionStage<T>> supplier;
  private final Fallback<T> fallback;
  private int attempt = 1;

  /**
   * When the call started, for its deadline and its retry's maxDuration ({@link
   * GuardCore#startCall}).
   */
  private long begun;

  /**
   * The failure of the attempt before (null after a value), for a deadline that passes before the
   * next.
   */
  private Throwable last;

  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /**
   * The attempt's stage (null if it is not a future) or the scheduled retry: what a cancel stops.
   */
  private volatile Future<?> inFlight;

  /** The timed attempt's start and how long it may take; published to the timer by its slot. */
  private long attemptStart;

  /** The timed attempt's limiter permit, for the timer's end of it. */
  private long attemptPermit;

  private long attemptWait;

  AsyncCall(
      GuardCore core,
      Object key,
      Supplier<? extends CompletionStage<T>> supplier,
      Fallback<T> fallback) {
    this.core = core;
    this.key = key;
    this.supplier = supplier;
    this.fallback = fallback;
  }

  /** Starts the call; whatever happens, it is reported through this stage, never thrown. */
  CompletionStage<T> start() {
    if (core.closed()) {
      state = ENDED;
      completeExceptionally(core.closedFailure());
      return this;
    }
    try {
      if (!core.admits(key)) {
        state = ENDED;
        completeWith(core.denied(key));
        return this;
      }
      begun = core.startCall();
    } catch (Throwable refused) {
      state = ENDED;
      finish(refused);
      return this;
    }
    attemptSafely();
    return this;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && STATE.compareAndSet(this, RUNNING, ENDED)) {
      core.cancelled(attempt);
      Future<?> current = inFlight;
      if (current != null) {
        // The caller's choice: a retry whose supplier is starting on the runtime's thread is
        // interrupted only if the caller allowed it.
        cancelIfAllowed(current, mayInterruptIfRunning);
      }
    }
    return cancelled;
  }

  @SuppressWarnings("unchecked") // substitute and recovery values have the type of the caller's T
  private void completeWith(Object value) {
    complete((T) value);
  }

  /** Ends the call with {@code failure}, unless the guard's recovery turns it into a value. */
  private void finish(Throwable failure) {
    if (!core.recovers()) {
      completeExceptionally(failure);
      return;
    }
    try {
      completeWith(core.recover(failure));
    } catch (Throwable rethrown) {
      completeExceptionally(rethrown);
    }
  }

  /** An attempt; whatever goes wrong on the way reaches the caller's stage. */
  private void attemptSafely() {
    try {
      attempt();
    } catch (Throwable unexpected) {
      // A hook that threw before the attempt held anything (the ticker, a listener's Error).
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        failed(unexpected, 0L);
      }
    }
  }

  private void attempt() {
    if (state != RUNNING) {
      return; // cancelled: no further attempt
    }
    if (core.closed()) {
      // The runtime closed while the call waited to retry (close runs the pending waits at once):
      // the call ends as a new call would, counted with the attempts it made.
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        end(core.closedFailure(), -1L, attempt - 1);
      }
      return;
    }
    long wait = core.attemptWait(begun);
    if (wait <= 0) {
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        end(last, GuardCore.DEADLINE, attempt - 1);
      }
      return;
    }
    int home = core.bulkhead == null ? GuardCore.NO_PERMIT : Stripes.current();
    RejectedCallException rejection = core.beforeAttempt(home, false);
    long permit = 0L;
    if (rejection == null && (permit = core.takeLimit(home)) == Limiter.REFUSED) {
      rejection = core.limitRejection();
    }
    if (rejection != null) {
      if (STATE.compareAndSet(this, RUNNING, DECIDING)) {
        long decision;
        try {
          decision = core.onRejection(rejection, attempt, begun);
        } catch (Throwable hook) {
          state = ENDED;
          failed(hook, 0L);
          return;
        }
        decide(decision, null, rejection);
      }
      return;
    }
    if (state != RUNNING) {
      core.abandon(GuardCore.NO_PERMIT, false);
      core.abandonLimit(permit);
      releasePermit(home);
      return;
    }
    long start = 0L;
    CompletionStage<T> stage;
    try {
      start = core.startAttempt();
      stage = supplier.get();
      if (stage == null) {
        throw new NullPointerException(
            "guard '" + core.name + "': the supplier returned a null stage");
      }
    } catch (Throwable failure) {
      releasePermit(home);
      attemptEnded(start, permit, null, failure);
      return;
    }
    // Before the slot is armed: a timeout that fires at once may start the next attempt, whose
    // stage must not then be overwritten by this one's.
    inFlight = stage instanceof CompletableFuture<?> future ? future : null;
    RuntimeTimer.Slot slot = null;
    long armed = 0L;
    if (wait != GuardCore.NO_LIMIT) {
      attemptStart = start;
      attemptPermit = permit;
      attemptWait = wait;
      RuntimeTimer timer = core.runtime.timer();
      slot = timer.claim();
      armed = timer.arm(slot, this, wait);
    }
    if (stage instanceof CompletableFuture<?> future && state == ENDED) {
      cancelIfAllowed(future, true); // cancelled (or the runtime closed) while the attempt started
    }
    long started = start;
    long held = permit;
    RuntimeTimer.Slot timed = slot;
    long word = armed;
    stage.whenComplete(
        (value, failure) -> {
          releasePermit(home);
          if (timed == null || RuntimeTimer.settle(timed, word)) {
            attemptEnded(started, held, value, failure);
          }
        });
  }

  /**
   * The timer ended the timed attempt in flight (its stage had not): its timeout runs on the
   * runtime's scheduler, never on the timer's thread, or here if the runtime has closed.
   */
  void expired() {
    try {
      core.runtime.scheduler().execute(this::timedOut);
    } catch (RuntimeException closed) {
      timedOut(); // the runtime closed (or its scheduler refuses work): the call ends as closed,
      // now
    }
  }

  /**
   * Stops the timed attempt's stage and ends the attempt: as a timeout, or as closed if the runtime
   * has closed.
   */
  private void timedOut() {
    Future<?> stage = inFlight;
    if (stage != null) {
      cancelIfAllowed(stage, true);
    }
    attemptEnded(
        attemptStart,
        attemptPermit,
        null,
        core.closed() ? core.closedFailure() : core.attemptTimedOut(attemptWait, attempt));
  }

  private void releasePermit(int home) {
    if (home != GuardCore.NO_PERMIT) {
      core.bulkhead.release();
    }
  }

  /**
   * Cancels {@code future} unless it refuses: a stage such as {@code minimalCompletionStage()}
   * throws instead, and is then left to complete on its own (its permit comes back when it does).
   * The call ends either way.
   */
  private static void cancelIfAllowed(Future<?> future, boolean mayInterruptIfRunning) {
    try {
      future.cancel(mayInterruptIfRunning);
    } catch (UnsupportedOperationException refused) {
      // Not cancellable: nothing more the guard can do to stop it.
    }
  }

  /**
   * One attempt's end, decided once; its permit is already back (or comes back when its stage
   * ends).
   */
  private void attemptEnded(long start, long permit, T value, Throwable thrown) {
    if (!STATE.compareAndSet(this, RUNNING, DECIDING)) {
      // The caller cancelled: only the permission and the limiter's permit go back.
      core.abandon(GuardCore.NO_PERMIT, false);
      core.abandonLimit(permit);
      return;
    }
    long decision;
    try {
      decision =
          thrown == null
              ? core.onReturn(value, start, permit, attempt, GuardCore.NO_PERMIT, begun)
              : core.onThrow(thrown, start, permit, attempt, GuardCore.NO_PERMIT, begun);
    } catch (Throwable hook) {
      state = ENDED;
      failed(hook, 0L);
      return;
    }
    decide(decision, value, thrown);
  }

  /** Carries out the decision about the attempt that ended with {@code value} or {@code thrown}. */
  private void decide(long decision, T value, Throwable thrown) {
    if (decision == GuardCore.SUCCESS) {
      state = ENDED;
      try {
        core.succeeded(key, value);
        complete(value);
      } catch (Throwable observerFailure) {
        finish(observerFailure);
      }
      return;
    }
    if (decision >= 0) {
      retryLater(decision, value, thrown);
      return;
    }
    state = ENDED;
    end(FailureClassifier.unwrap(thrown), decision, attempt);
  }

  /** Schedules the next attempt, unless the caller has cancelled meanwhile. */
  private void retryLater(long nanos, T value, Throwable thrown) {
    last = FailureClassifier.unwrap(thrown);
    state = RUNNING;
    if (isCancelled()) {
      // The cancel found the call DECIDING and left the counting to us.
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        core.cancelled(attempt);
      }
      return;
    }
    if (nanos <= 0) {
      retry();
      return;
    }
    try {
      inFlight = core.runtime.scheduler().schedule(this::retry, nanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException notScheduled) {
      // The runtime is closed or its scheduler refuses work: end with what the last attempt gave.
      if (STATE.compareAndSet(this, RUNNING, ENDED)) {
        if (thrown == null) {
          core.countSuccess(attempt);
          core.succeeded(
              key, value); // as the sync path does: the admission (a last-good cache) sees it
          complete(value);
        } else {
          end(last, nanos, attempt);
        }
      }
    }
  }

  /**
   * The next attempt, once the wait is over. The attempt number grows only here, so a call
   * cancelled or ended during the wait counts just the attempts it made.
   */
  private void retry() {
    attempt++;
    attemptSafely();
  }

  /**
   * Ends the call on {@code decision} about attempt {@code ended}, through the fallback ({@link
   * GuardCore#end}).
   */
  private void end(Throwable failure, long decision, int ended) {
    try {
      complete(core.end(key, failure, fallback, decision, ended));
    } catch (Throwable thrown) {
      finish(thrown);
    }
  }

  private void failed(Throwable failure, long elapsed) {
    end(failure, -1L - elapsed, attempt);
  }
}
