package dev.brownout.migration;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The second run of the old path for a noise sample, on the experiment's lane, under the
 * experiment's timeout: its value against the first run's value is what the old path differs from
 * itself. A run that throws or overruns is a lost sample, never a verdict: the call's verdict comes
 * from its {@link Trial}.
 *
 * <p>Concurrency as in {@link Trial}: the worker and the timer race for {@code ended}; the timer
 * that wins interrupts the run through the task's future.
 */
final class NoiseTrial<T> implements Callable<@Nullable Void> {

  private final Experiment<T> experiment;
  private final Experiment.Arm<? extends T, ?> control;
  private final @Nullable T first;
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile @Nullable Future<?> task;

  NoiseTrial(Experiment<T> experiment, Experiment.Arm<? extends T, ?> control, @Nullable T first) {
    this.experiment = experiment;
    this.control = control;
    this.first = first;
  }

  void task(Future<?> future) {
    this.task = future;
  }

  @Override
  public @Nullable Void call() {
    ScheduledFuture<?> timeout =
        experiment.experiments.schedule(this::timeOut, experiment.timeoutNanos);
    T second = null;
    boolean returned = false;
    // The old path's second run is not the caller's: writes in it are refused like the candidate's.
    Experiment.enterCandidate();
    try {
      second = control.call();
      returned = true;
    } catch (Throwable t) {
      // a lost sample
    } finally {
      Experiment.leaveCandidate();
    }
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (ended.compareAndSet(false, true)) {
      if (returned) {
        experiment.judge.noiseSample(first, second);
      } else {
        lost();
      }
    }
    return null;
  }

  /** Counts the sample as lost (the lane refused it, it threw, or it overran). */
  void lost() {
    Objects.requireNonNull(experiment.judge.noise).lost();
  }

  private void timeOut() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    Future<?> running = task;
    if (running != null) {
      running.cancel(true);
    }
    lost();
  }
}
