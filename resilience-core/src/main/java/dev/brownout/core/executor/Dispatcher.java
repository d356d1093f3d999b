package dev.brownout.core.executor;

import dev.brownout.core.Ticker;
import dev.brownout.core.internal.LogText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind a {@link BoundedExecutor} and its partitions: admission, queues, dispatch,
 * drain.
 *
 * <p>Design note. Admission is two permits, one from the task's lane and one from the executor,
 * each an {@link AtomicInteger} moved by CAS up to its bound; a task with both runs at once, one
 * without takes a queue slot the same way, and one without either is rejected to its caller (an
 * executor without partitions has one lane, whose counters are the executor's). There is no lock on
 * the way to a worker; a task that waits also holds its lane's {@link TaskQueue} monitor for a few
 * writes. A task never waits for a permit in a queue of its own: queued tasks are started by a
 * <em>dispatch pass</em>, which takes the permits and polls the lanes in turn, or by a worker that
 * ends a task (below). Every change that can let a queued task start asks for a pass afterwards: a
 * permit given back, and a task queued while the executor has a permit free (while it has none, the
 * task is seen by whichever task ends first, since each one that ends with tasks waiting either
 * takes one or gives back its permit and asks for a pass). Passes are serialised by a work counter:
 * a request that arrives while a pass runs makes that dispatcher run once more. So a queued task is
 * always seen by a pass that begins after it was queued, and never strands while a permit is free.
 * Permits are CAS'd, counts are volatile and the queue is a monitor, so each side of "queue then
 * check permits" / "release then check queue" sees the other's write. A pass holds permits for no
 * task only for a moment: it takes a lane's permits once it sees a task waiting there, and if that
 * task is cancelled or taken by a worker before the pass claims it, the permits go back like any
 * task's, with a request for another pass, since a submitter that saw them taken relied on them.
 *
 * <p>Workers: a platform executor hands each admitted task to a fixed {@link ThreadPoolExecutor}
 * whose threads never outnumber the permits; a virtual-thread executor starts one thread per task.
 * Either way the permits, not the threads, are the bound. A worker whose task ends goes on with a
 * queued task itself, so a queued task is handed over once (from its lane to that worker), with no
 * second queue and no wake-up. If every waiting task is in its own lane, the worker keeps both
 * permits and takes the next one: nothing is given back, so no pass is owed. Otherwise it gives
 * back its permits and runs the pass itself, keeping the first task that pass starts, so other
 * lanes get their turn in the pass's order; other tasks that pass starts are handed over, and a
 * worker that finds another pass running leaves the work to it. Between tasks a worker clears its
 * interrupt, as a pool worker does, so a late cancel of one task never reaches the next. A task's
 * future completes only after its permits are given back (or kept for the next task), so a caller
 * that submits again the moment its answer arrives is never refused for a permit its last task no
 * longer needs; the task leaves its running slot after that, and termination waits for every slot,
 * so every future is done by then.
 *
 * <p>Why one file of 660 lines (about 510 of code). Admission, dispatch passes, a worker's
 * hand-over to the next task, shutdown and drain are one protocol over the same permits, lanes and
 * work counter, and each argument above ("never strands while a permit is free", "a late cancel
 * never reaches the next task") spans several of these methods. What has state of its own stands
 * apart: {@link Lane}, {@link TaskQueue}, {@link BoundedTask}, {@link RunningTasks}, {@link
 * Watchdog}.
 */
final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(BoundedExecutor.class);

  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;
  private static final int TERMINATED = 3;

  private static final int STARTED = 0;
  private static final int QUEUED = 1;
  private static final int FULL = 2;
  private static final int CLOSED = 3;

  private static final int MAX_LOGGED_CAUSES = 64;

  private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  final String name;
  final ExecutorConfig config;
  final Ticker ticker;
  final boolean propagateMdc;
  final boolean watched;
  final RunningTasks slots;
  final Lane shared;
  final Lane[] lanes;
  final LongAdder stuck = new LongAdder();

  /** Context restores that threw (see {@link TaskContext}). */
  final LongAdder restoreFailures = new LongAdder();

  /** Tasks that end while a timed drain waits; null otherwise. */
  volatile Queue<BoundedTask<?>> drainLog;

  private final ContextPropagator<?>[] propagators;

  /**
   * Per propagator, the failure classes already logged: a propagator that fails on every task logs
   * once per cause, not once per task. Failures are rare and the set small, so a concurrent set is
   * enough; it stops growing at {@link #MAX_LOGGED_CAUSES}.
   */
  private final Set<String> loggedRestoreFailures = ConcurrentHashMap.newKeySet();

  private final int maxRunning;
  private final int maxQueued;
  private final long maxWaitNanos;

  /**
   * The executor's counts. Without partitions they are the shared lane's own counters (its bounds
   * are the executor's, so the two counts could only ever be equal): a task then moves one counter,
   * not two, and only where {@link #partitioned} does an executor count move apart from its lane's.
   */
  private final AtomicInteger running;

  private final AtomicInteger queued;
  private final boolean partitioned;
  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final AtomicInteger dispatchRequests = new AtomicInteger();
  private final ThreadPoolExecutor pool;
  private final ThreadFactory perTask;
  private final Watchdog watchdog;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final ReentrantLock roomLock = new ReentrantLock();
  private final Condition roomFreed = roomLock.newCondition();
  private final AtomicInteger roomWaiters = new AtomicInteger();

  /** The lane a dispatch pass starts at; only the one running dispatcher touches it. */
  private int rotor;

  Dispatcher(String name, ExecutorConfig config) {
    this.name = name;
    this.config = config;
    this.ticker = config.ticker();
    this.propagateMdc = config.propagateMdc();
    this.propagators = config.contextPropagators().toArray(new ContextPropagator<?>[0]);
    this.maxRunning = config.maxRunning();
    this.maxQueued = config.maxQueued();
    this.maxWaitNanos = config.maxWait().toNanos();
    // A task leaves its slot just after it gives back its permits, so up to twice as many.
    this.slots = new RunningTasks(2 * maxRunning);
    this.shared = new Lane(this, BoundedExecutor.SHARED, maxRunning, maxQueued, config.maxWait());
    List<Lane> all = new ArrayList<>();
    all.add(shared);
    for (Map.Entry<String, Float> partition : config.partitions().entrySet()) {
      float percent = partition.getValue();
      all.add(
          new Lane(
              this,
              partition.getKey(),
              Lane.share(maxRunning, percent, 1),
              Lane.share(maxQueued, percent, maxQueued == 0 ? 0 : 1),
              config.maxWait()));
    }
    this.lanes = all.toArray(new Lane[0]);
    this.partitioned = lanes.length > 1;
    this.running = partitioned ? new AtomicInteger() : shared.running;
    this.queued = partitioned ? new AtomicInteger() : shared.queued;
    ThreadFactory factory =
        config.threadFactory() != null
            ? config.threadFactory()
            : ThreadFactories.platform("brownout-" + name + "-");
    if (ThreadFactories.isVirtual(factory)) {
      this.pool = null;
      this.perTask = factory;
    } else {
      // A task is handed over only with a permit, and gives its permit back before its worker is
      // free, so at most maxRunning tasks are ever handed over and not yet done: a hand-over queue
      // of that size never fills.
      this.pool =
          new ThreadPoolExecutor(
              maxRunning,
              maxRunning,
              0,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(maxRunning),
              factory);
      this.perTask = null;
    }
    Duration threshold = config.stuckThreshold();
    this.watched = threshold != null;
    this.watchdog = watched ? new Watchdog(this, threshold, config.interruptStuck()) : null;
    if (config.drainOnExit()) {
      ExitDrain.register(this);
    }
  }

  ThreadPoolExecutor pool() {
    return pool;
  }

  Watchdog watchdog() {
    return watchdog;
  }

  Lane lane(String partition) {
    for (Lane lane : lanes) {
      if (lane.name.equals(partition)) {
        return lane;
      }
    }
    return null;
  }

  TaskContext captureContext() {
    return TaskContext.capture(propagateMdc, propagators);
  }

  int running() {
    return running.get();
  }

  int queued() {
    return queued.get();
  }

  boolean isShutdown() {
    return state.get() != RUNNING;
  }

  boolean isTerminated() {
    return state.get() == TERMINATED;
  }

  boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return terminated.await(timeout, unit);
  }

  // ---- admission

  /** Starts, queues or rejects {@code task}; never drops it. */
  void submit(BoundedTask<?> task) {
    Lane lane = task.lane;
    int outcome = admit(task, lane);
    if (outcome == FULL && maxWaitNanos > 0) {
      outcome = awaitRoom(task, lane);
    }
    if (outcome == FULL) {
      lane.rejected.increment();
      throw lane.saturated();
    }
    if (outcome == CLOSED) {
      throw new RejectedExecutionException(
          "executor '" + name + "' is shut down; task '" + task.name() + "' was not accepted");
    }
  }

  private int admit(BoundedTask<?> task, Lane lane) {
    if (state.get() != RUNNING) {
      return CLOSED;
    }
    // Straight to a worker, unless tasks are already waiting (they go first).
    if (queued.get() == 0 && acquire(lane)) {
      return start(task, lane);
    }
    if (!Lane.tryIncrement(lane.queued, lane.maxQueued)) {
      return startIfFree(task, lane);
    }
    if (partitioned && !Lane.tryIncrement(queued, maxQueued)) {
      lane.queued.decrementAndGet();
      return startIfFree(task, lane);
    }
    if (state.get() != RUNNING) {
      unqueue(lane);
      tryTerminate();
      return CLOSED;
    }
    task.queued();
    lane.queue.offer(task);
    if (running.get() < maxRunning) {
      dispatch();
    } // else every worker is busy, and the first to end sees this task (see the design note)
    return QUEUED;
  }

  /**
   * The queue has no room for the task, but its lane and a worker may: then it runs now (waiting
   * tasks of other, full lanes could not use that worker anyway), rather than being rejected.
   */
  private int startIfFree(BoundedTask<?> task, Lane lane) {
    return acquire(lane) ? start(task, lane) : FULL;
  }

  /** Starts a task that holds its permits, unless the executor was shut down meanwhile. */
  private int start(BoundedTask<?> task, Lane lane) {
    if (state.get() != RUNNING) {
      release(lane);
      return CLOSED;
    }
    task.started();
    launch(task);
    return STARTED;
  }

  private int awaitRoom(BoundedTask<?> task, Lane lane) {
    long remaining = maxWaitNanos;
    roomLock.lock();
    try {
      roomWaiters.incrementAndGet();
      try {
        while (true) {
          int outcome = admit(task, lane);
          if (outcome != FULL || remaining <= 0) {
            return outcome;
          }
          remaining = roomFreed.awaitNanos(remaining);
        }
      } finally {
        roomWaiters.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return FULL;
    } finally {
      roomLock.unlock();
    }
  }

  private void signalRoom() {
    roomLock.lock();
    try {
      roomFreed.signalAll();
    } finally {
      roomLock.unlock();
    }
  }

  private boolean acquire(Lane lane) {
    if (!Lane.tryIncrement(lane.running, lane.maxRunning)) {
      return false;
    }
    if (partitioned && !Lane.tryIncrement(running, maxRunning)) {
      lane.running.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a task's permits, then lets a waiting task or caller use them. */
  private void release(Lane lane) {
    BoundedTask<?> none = release(lane, false);
    assert none == null;
  }

  /**
   * Gives back a task's permits, then lets a waiting task or caller use them; if {@code keep}, the
   * first queued task the dispatch pass starts is returned (claimed, with its permits) for the
   * caller to run rather than handed to a worker.
   */
  private BoundedTask<?> release(Lane lane, boolean keep) {
    lane.running.decrementAndGet();
    if (partitioned) {
      running.decrementAndGet();
    }
    if (roomWaiters.get() != 0) {
      signalRoom();
    }
    BoundedTask<?> kept = null;
    if (queued.get() != 0) {
      kept = dispatch(keep);
    }
    if (state.get() != RUNNING) {
      tryTerminate();
    }
    return kept;
  }

  private void unqueue(Lane lane) {
    lane.queued.decrementAndGet();
    if (partitioned) {
      queued.decrementAndGet();
    }
    if (roomWaiters.get() != 0) {
      signalRoom();
    }
  }

  private void launch(BoundedTask<?> task) {
    try {
      if (pool != null) {
        pool.execute(task);
      } else {
        perTask.newThread(task).start();
      }
    } catch (RuntimeException | Error e) {
      // No thread for it (out of native threads, a failing factory): the task fails, visibly.
      task.setException(e);
      release(task.lane);
    }
  }

  // ---- what tasks report

  void finished(Lane lane) {
    release(lane);
  }

  /**
   * A task ended on a worker, which can go on at once: gives back its permits and returns a queued
   * task for that worker to run next (claimed, holding its permits), or null.
   */
  BoundedTask<?> finishedTakingNext(Lane lane) {
    int waiting = queued.get();
    if (waiting != 0 && lane.queued.get() == waiting && state.get() < STOP) {
      // Every waiting task is in this lane, so no other lane is owed a turn: the worker keeps both
      // permits for the next one, and nothing is given back that a pass would have to hand out.
      BoundedTask<?> next = take(lane, true);
      if (next != null) {
        return next;
      }
    }
    return release(lane, true);
  }

  /** A queued task was cancelled by its holder: its slot is free again. */
  void removed(BoundedTask<?> task) {
    task.lane.queue.remove(task);
    unqueue(task.lane);
    if (state.get() != RUNNING) {
      tryTerminate();
    }
  }

  void crashed(BoundedTask<?> task, Throwable failure, boolean unobserved) {
    // A submitter holds the future and will see the failure there; a plain execute() has nobody
    // else to tell, and an Error is worth a line whoever holds the future.
    if (unobserved || failure instanceof Error) {
      LOG.warn(
          "task '{}' on executor '{}' failed{}",
          LogText.of(task.name()),
          LogText.of(name),
          LogText.trailingTrace(failure));
    } else if (LOG.isDebugEnabled()) {
      LOG.debug(
          "task '{}' on executor '{}' failed{}",
          LogText.of(task.name()),
          LogText.of(name),
          LogText.trailingTrace(failure));
    }
  }

  /**
   * A propagator's restore threw on a worker: counted, and logged the first time this propagator
   * fails with this class of failure. The task's outcome stands and the worker goes on.
   */
  void restoreFailed(int index, ContextPropagator<?> propagator, Throwable failure) {
    restoreFailures.increment();
    String cause = index + " " + failure.getClass().getName();
    if (loggedRestoreFailures.size() < MAX_LOGGED_CAUSES && loggedRestoreFailures.add(cause)) {
      LOG.warn(
          "context propagator {} of executor '{}' threw {} while restoring a worker's context; the task's "
              + "outcome stands and the worker goes on (logged once per propagator and cause, counted in "
              + "brownout.executor.context.failed)",
          propagator.getClass().getName(),
          name,
          failure.getClass().getName(),
          failure);
    }
  }

  // ---- dispatch

  void dispatch() {
    BoundedTask<?> none = dispatch(false);
    assert none == null;
  }

  /**
   * Runs dispatch passes; if {@code keep}, returns the first task they start instead of launching
   * it.
   */
  private BoundedTask<?> dispatch(boolean keep) {
    if (dispatchRequests.getAndIncrement() != 0) {
      return null; // the running dispatcher will pass once more
    }
    BoundedTask<?> kept = null;
    int requests = 1;
    do {
      BoundedTask<?> first = pass(keep && kept == null);
      if (first != null) {
        kept = first;
      }
      requests = dispatchRequests.addAndGet(-requests);
    } while (requests != 0);
    return kept;
  }

  /**
   * Starts every queued task that a lane share and a worker are free for, lanes in turn; if {@code
   * keep}, the first one is returned to the caller rather than launched.
   */
  private BoundedTask<?> pass(boolean keep) {
    BoundedTask<?> kept = null;
    boolean stopping = state.get() >= STOP;
    for (int i = 0; i < lanes.length; i++) {
      Lane lane = lanes[(rotor + i) % lanes.length];
      while (lane.queued.get() > 0) {
        if (stopping) {
          BoundedTask<?> task = take(lane, false);
          if (task == null) {
            break;
          }
          task.cancel(false);
          continue;
        }
        if (!lane.queue.hasWaiting() || !acquire(lane)) {
          break; // the count covers tasks being offered or unlinked now: their owners see to them
        }
        boolean keepThis = keep && kept == null;
        BoundedTask<?> task = take(lane, keepThis);
        if (task == null) {
          // The task seen waiting was cancelled or taken by a worker meanwhile. A submitter may
          // have seen these permits taken and left its task to their holder, in a lane this pass
          // has already looked at, so they go back as a task's do: asking for another pass.
          release(lane);
          break;
        }
        if (keepThis) {
          kept = task;
        } else {
          launch(task);
        }
      }
    }
    rotor++;
    if (stopping) {
      tryTerminate();
    }
    return kept;
  }

  /** Polls {@code lane} for a task still waiting and claims it (see {@link BoundedTask#claim}). */
  private BoundedTask<?> take(Lane lane, boolean toRunHere) {
    for (; ; ) {
      BoundedTask<?> task = lane.queue.poll();
      if (task == null) {
        return null;
      }
      if (task.claim(toRunHere)) {
        unqueue(lane);
        return task;
      }
    }
  }

  // ---- shutdown and drain

  void shutdown() {
    state.compareAndSet(RUNNING, SHUTDOWN);
    tryTerminate();
  }

  /** Stops intake, cancels what waits and interrupts what runs; returns both lists of tasks. */
  Stopped stop() {
    for (int s = state.get(); s < STOP && !state.compareAndSet(s, STOP); s = state.get()) {
      // retry
    }
    List<BoundedTask<?>> cancelled = new ArrayList<>();
    for (Lane lane : lanes) {
      for (BoundedTask<?> task = take(lane, false); task != null; task = take(lane, false)) {
        if (task.cancel(false)) {
          cancelled.add(task);
        }
      }
    }
    List<BoundedTask<?>> interrupted = new ArrayList<>();
    List<BoundedTask<?>> ended = new ArrayList<>();
    for (BoundedTask<?> task : slots.snapshot()) {
      if (task.cancel(true)) {
        interrupted.add(task);
      } else if (!task.isCancelled()) {
        ended.add(task);
      }
    }
    tryTerminate();
    return new Stopped(cancelled, interrupted, ended);
  }

  record Stopped(
      List<BoundedTask<?>> cancelled,
      List<BoundedTask<?>> interrupted,
      List<BoundedTask<?>> ended) {}

  DrainReport drain(Duration timeout) {
    Queue<BoundedTask<?>> log = new ConcurrentLinkedQueue<>();
    drainLog = log;
    try {
      shutdown();
      long deadline = ticker.read() + timeout.toNanos();
      boolean done = awaitUntil(deadline);
      Set<BoundedTask<?>> completed = new LinkedHashSet<>();
      List<String> cancelled = List.of();
      List<String> interrupted = List.of();
      if (!done) {
        Stopped stopped = stop();
        completed.addAll(log);
        completed.addAll(stopped.ended());
        cancelled = names(stopped.cancelled());
        interrupted = names(stopped.interrupted());
      } else {
        completed.addAll(log);
      }
      return new DrainReport(names(completed), cancelled, interrupted);
    } finally {
      drainLog = null;
    }
  }

  private boolean awaitUntil(long deadline) {
    try {
      while (true) {
        long left = deadline - ticker.read();
        if (left <= 0) {
          return terminated.getCount() == 0;
        }
        if (terminated.await(Math.min(left, DRAIN_POLL_NANOS), TimeUnit.NANOSECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return terminated.getCount() == 0;
    }
  }

  private static List<String> names(Iterable<BoundedTask<?>> tasks) {
    List<String> names = new ArrayList<>();
    for (BoundedTask<?> task : tasks) {
      names.add(task.name());
    }
    return names;
  }

  /** A task has left its running slot, its future done: the executor may have terminated. */
  void leftSlot() {
    if (state.get() != RUNNING) {
      tryTerminate();
    }
  }

  private void tryTerminate() {
    int s = state.get();
    if (s == RUNNING
        || s == TERMINATED
        || running.get() != 0
        || queued.get() != 0
        || slots.anyOccupied()) {
      return;
    }
    if (state.compareAndSet(s, TERMINATED)) {
      if (pool != null) {
        pool.shutdown();
      }
      if (watchdog != null) {
        watchdog.stop();
      }
      ExitDrain.forget(this);
      terminated.countDown();
    }
  }
}
