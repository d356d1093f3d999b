package dev.brownout.migration;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The new path of one sampled call, run on the experiment's lane once the old path has ended: it
 * runs the candidate, and whichever comes first, its end or its timeout, has the call judged.
 *
 * <p>Concurrency. Two threads may end a trial: the lane's worker when the candidate returns or
 * throws, and the experiment timer when the timeout fires. {@code state} goes from RUNNING to DONE
 * or to TIMED_OUT by one compare-and-set, so exactly one of them judges. The timer that wins
 * cancels the task through its future, which interrupts the worker only while the task still runs
 * (the executor's task, a {@code FutureTask}, guarantees that), never a later task of the same
 * worker. The control outcome is written by the caller before the task is submitted, and the
 * submission publishes it to the worker.
 */
final class Trial<T> implements Callable<@Nullable Void> {

  private static final int RUNNING = 0;
  private static final int DONE = 1;
  private static final int TIMED_OUT = 2;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Trial.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Experiment<T> experiment;
  private final Experiment.Arm<? extends T, ?> candidate;
  private final @Nullable T controlValue;
  private final @Nullable Throwable controlError;
  private final long controlNanos;

  /** Completed with the result in test mode, where the caller waits for it; else null. */
  final @Nullable CompletableFuture<Result<T>> judged;

  @SuppressWarnings("UnusedVariable") // read and written through STATE
  private volatile int state;

  private volatile long startedAt;

  // Written and read by the thread that runs the candidate only.
  private @Nullable T candidateValue;
  private @Nullable Throwable candidateError;
  private volatile @Nullable Future<?> task;

  Trial(
      Experiment<T> experiment,
      Experiment.Arm<? extends T, ?> candidate,
      @Nullable T controlValue,
      @Nullable Throwable controlError,
      long controlNanos,
      boolean awaited) {
    this.experiment = experiment;
    this.candidate = candidate;
    this.controlValue = controlValue;
    this.controlError = controlError;
    this.controlNanos = controlNanos;
    this.judged = awaited ? new CompletableFuture<>() : null;
  }

  /** The executor's handle on this task, through which a timeout interrupts the candidate. */
  void task(Future<?> future) {
    this.task = future;
  }

  @Override
  public @Nullable Void call() {
    long start = experiment.ticker.read();
    startedAt = start;
    ScheduledFuture<?> timeout =
        experiment.experiments.schedule(this::timeOut, experiment.timeoutNanos);
    runCandidate();
    long nanos = experiment.ticker.read() - start;
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      done(
          experiment.judge.judge(
              controlValue, controlError, controlNanos, candidateValue, candidateError, nanos));
    }
    return null;
  }

  /**
   * Runs the candidate on the caller's thread: nothing can stop it there, so no timer is armed
   * (arming one costs more than a cheap candidate); one that overran is judged a timeout after.
   */
  void runInline() {
    long start = experiment.ticker.read();
    runCandidate();
    long nanos = experiment.ticker.read() - start;
    done(
        nanos > experiment.timeoutNanos
            ? experiment.judge.timedOut(
                controlValue, controlError, controlNanos, nanos, experiment.timeoutNanos)
            : experiment.judge.judge(
                controlValue, controlError, controlNanos, candidateValue, candidateError, nanos));
  }

  private void runCandidate() {
    Experiment.enterCandidate();
    try {
      candidateValue = candidate.call();
    } catch (Throwable t) {
      candidateError = t;
    } finally {
      Experiment.leaveCandidate();
    }
  }

  /** Run by the experiment timer when the candidate overruns. */
  private void timeOut() {
    if (!STATE.compareAndSet(this, RUNNING, TIMED_OUT)) {
      return;
    }
    Future<?> running = task;
    if (running != null) {
      running.cancel(true);
    }
    long nanos = experiment.ticker.read() - startedAt;
    done(
        experiment.judge.timedOut(
            controlValue, controlError, controlNanos, nanos, experiment.timeoutNanos));
  }

  private void done(Result<T> result) {
    if (judged != null) {
      judged.complete(result);
    }
  }
}
