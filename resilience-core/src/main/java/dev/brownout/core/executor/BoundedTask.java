package dev.brownout.core.executor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.MDC;

/**
 * A task of a {@link BoundedExecutor}: the future its submitter holds, plus the context it carries
 * and where it is in the executor.
 *
 * <p>Its phase moves once from QUEUED to either STARTED (a dispatcher took it) or REMOVED (it was
 * cancelled while waiting), by CAS; whoever wins gives back its queue slot, so a slot is never
 * given back twice. A task that never waits goes straight to STARTED. Its worker moves it from
 * STARTED to RUN, and only that run gives back its permits: a task run by someone else (a wrapper
 * such as {@code ExecutorCompletionService}'s, which is itself the admitted task) holds none to
 * give back. A queued task that a worker takes for itself goes from QUEUED straight to RUN. A run
 * by its worker ends in ENDED_WITH_VALUE or ENDED_WITH_FAILURE: the outcome is held until the
 * worker has given the permits back, then completes the future.
 */
final class BoundedTask<T> extends FutureTask<T> {

  private static final VarHandle PHASE;

  static {
    try {
      PHASE = MethodHandles.lookup().findVarHandle(BoundedTask.class, "phase", byte.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final byte NEW = 0;
  static final byte QUEUED = 1;
  static final byte STARTED = 2;
  static final byte REMOVED = 3;
  static final byte RUN = 4;

  /** Its worker's run ended with a value or a failure, which waits until the permits are back. */
  static final byte ENDED_WITH_VALUE = 5;

  static final byte ENDED_WITH_FAILURE = 6;

  final Lane lane;

  /** The task's name, or its body when it has none ({@link #name()} then asks the body). */
  private final Object label;

  private final boolean unobserved;
  private final TaskContext context;

  @SuppressWarnings("unused") // read and written through PHASE; a byte keeps the task small
  private volatile byte phase;

  /** The worker running the task, while it runs (for the watchdog's stack). */
  volatile Thread worker;

  /** When the task started, by the executor's ticker (read only if there is a watchdog). */
  volatile long startedAt;

  /** Set by the watchdog, which alone reads it. */
  boolean reportedStuck;

  /** The task after this one in its lane's queue, guarded by that {@link TaskQueue}. */
  BoundedTask<?> next;

  /**
   * The outcome of a run by the task's worker, held while the worker gives back the permits, so a
   * caller it wakes can submit again at once (see the phases ENDED_WITH_*).
   */
  private Object deferredOutcome;

  BoundedTask(Lane lane, String name, Callable<T> body) {
    super(body);
    this.lane = lane;
    this.label = name != null ? name : body;
    this.unobserved = false;
    this.context = lane.dispatcher.captureContext();
  }

  /** A runnable task; {@code unobserved} when nobody holds its future (plain {@code execute}). */
  BoundedTask(Lane lane, String name, Runnable body, T result, boolean unobserved) {
    super(body, result);
    this.lane = lane;
    this.label = name != null ? name : body;
    this.unobserved = unobserved;
    this.context = lane.dispatcher.captureContext();
  }

  String name() {
    try {
      return String.valueOf(label);
    } catch (RuntimeException e) {
      return label.getClass().getName(); // a body whose toString fails still gets a log line
    }
  }

  void started() {
    PHASE.setRelease(this, STARTED);
  }

  void queued() {
    PHASE.setRelease(this, QUEUED);
  }

  /** Whether the task waits in its lane's queue, neither claimed nor cancelled. */
  boolean waiting() {
    return (byte) PHASE.getAcquire(this) == QUEUED;
  }

  /**
   * Takes a queued task, to hand to a worker (STARTED) or to run on this thread at once (RUN);
   * false if it was cancelled first.
   */
  boolean claim(boolean toRunHere) {
    return PHASE.compareAndSet(this, QUEUED, toRunHere ? RUN : STARTED);
  }

  @Override
  public void run() {
    byte current = (byte) PHASE.getAcquire(this);
    if (current == RUN || holdsOutcome(current)) {
      return; // its worker runs it, or has: a body runs at most once
    }
    if (!PHASE.compareAndSet(this, STARTED, RUN)) {
      runInContext();
      return;
    }
    // The worker goes on with the queued tasks it is handed as each one ends (see the design note
    // in Dispatcher); a loop, so a long queue never deepens the stack.
    for (BoundedTask<?> task = runWithPermits(); task != null; task = task.runWithPermits()) {
      // Like a pool worker between tasks: an interrupt meant for the task that ended is not the
      // next one's.
      boolean unused = Thread.interrupted();
    }
  }

  /**
   * Runs this task, which holds its permits, then gives them back; returns the next queued task for
   * this worker (claimed straight to RUN, holding its own permits), or null.
   */
  private BoundedTask<?> runWithPermits() {
    worker = Thread.currentThread();
    if (lane.dispatcher.watched) {
      startedAt = lane.dispatcher.ticker.read();
    }
    int slot = lane.dispatcher.slots.enter(this);
    boolean ended = false;
    try {
      runInContext();
      ended = true;
    } finally {
      worker = null;
      if (!ended) {
        // Something escaped: give back the permits, take nothing more.
        BoundedTask<?> none = endRun(slot, false);
        assert none == null;
      }
    }
    return endRun(slot, true);
  }

  /**
   * Gives back the permits (or, if the run {@code ended} normally, keeps them for the next queued
   * task, returned), then delivers the outcome, so whoever it wakes finds the permits free, then
   * leaves the slot: the executor does not count as terminated before every future is done.
   */
  private BoundedTask<?> endRun(int slot, boolean ended) {
    BoundedTask<?> next = null;
    if (ended) {
      next = lane.dispatcher.finishedTakingNext(lane);
    } else {
      lane.dispatcher.finished(lane);
    }
    try {
      completeDeferred();
    } catch (RuntimeException | Error e) {
      leaveSlot(slot);
      if (next != null) {
        next.abandon(e); // this worker cannot go on: the task handed to it fails, visibly
      }
      throw e;
    }
    leaveSlot(slot);
    return next;
  }

  private void leaveSlot(int slot) {
    lane.dispatcher.slots.leave(slot);
    lane.dispatcher.leftSlot();
  }

  /**
   * A task handed to a worker that cannot run it: it fails with {@code failure}, its permits back.
   */
  private void abandon(Throwable failure) {
    setException(failure);
    lane.dispatcher.finished(lane);
  }

  @Override
  protected void set(T value) {
    if (worker == Thread.currentThread()) {
      defer(value, ENDED_WITH_VALUE);
    } else {
      super.set(value);
    }
  }

  /** Whether a task in {@code phase} has ended, its outcome held until its permits are back. */
  private static boolean holdsOutcome(byte phase) {
    return phase == ENDED_WITH_VALUE || phase == ENDED_WITH_FAILURE;
  }

  /** Holds the outcome of the worker's run; like a future's, the first one stands. */
  private void defer(Object outcome, byte ended) {
    if ((byte) PHASE.get(this) == RUN) {
      deferredOutcome = outcome;
      PHASE.setRelease(this, ended);
    }
  }

  @SuppressWarnings("unchecked") // a deferred value is the T that set was given
  private void completeDeferred() {
    byte ended = (byte) PHASE.get(this);
    Object outcome = deferredOutcome;
    deferredOutcome = null;
    if (ended == ENDED_WITH_VALUE) {
      super.set((T) outcome);
    } else if (ended == ENDED_WITH_FAILURE) {
      setException((Throwable) outcome); // no longer the worker's run: completes at once
    }
  }

  private void runInContext() {
    if (context == null) {
      try {
        super.run();
      } finally {
        clearMdc();
      }
      return;
    }
    if (context.deadline != null && context.deadline.expired()) {
      setException(new TaskExpiredException(name(), lane.executor));
      return;
    }
    Object[] previous = null;
    try {
      previous = context.attach(lane.dispatcher);
      super.run();
    } catch (RuntimeException | Error e) {
      setException(e); // a propagator failed: the task fails, the worker lives on
    } finally {
      try {
        if (previous != null) {
          context.restore(previous, lane.dispatcher);
        }
      } finally {
        clearMdc();
      }
    }
  }

  private void clearMdc() {
    if (lane.dispatcher.propagateMdc) {
      MDC.clear();
    }
  }

  @Override
  protected void setException(Throwable failure) {
    if (worker == Thread.currentThread()) {
      defer(failure, ENDED_WITH_FAILURE);
      return;
    }
    super.setException(failure);
    if (!(failure instanceof TaskExpiredException) && !isCancelled()) {
      lane.failed.increment();
      lane.dispatcher.crashed(this, failure, unobserved);
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (holdsOutcome((byte) PHASE.getAcquire(this))) {
      // Too late: the task has ended, and its outcome is delivered once its worker has given back
      // the permits, a moment from now. Wait for that, so the future is done when this returns.
      while (!isDone()) {
        LockSupport.parkNanos(1_000);
      }
      return false;
    }
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && PHASE.compareAndSet(this, QUEUED, REMOVED)) {
      lane.dispatcher.removed(this);
    }
    return cancelled;
  }

  @Override
  protected void done() {
    Queue<BoundedTask<?>> drain = lane.dispatcher.drainLog;
    if (drain != null && !isCancelled()) {
      drain.add(this);
    }
  }

  @Override
  public String toString() {
    return "task '" + name() + "' of " + lane;
  }
}
