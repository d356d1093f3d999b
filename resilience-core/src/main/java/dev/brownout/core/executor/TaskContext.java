package dev.brownout.core.executor;

import java.util.Map;
import org.slf4j.MDC;

/**
 * What a task carries from its submitter: the MDC, the deadline and the registered propagators'
 * captures. Captured only when there is something to carry, so a plain submission allocates none.
 *
 * <p>A propagator is user code running on a pool worker, outside any task: what it throws in {@link
 * #restore} must not end the worker (a pool replaces it, but the next task then waits for a new
 * thread, and the failure reaches only standard error) nor change the outcome of the task that has
 * already run. So each restore is tried on its own, the others and the deadline still restored, and
 * a failure goes to the dispatcher, which counts it and logs it once per propagator and cause.
 */
final class TaskContext {

  private final Map<String, String> mdc;
  final Deadline deadline;
  private final ContextPropagator<?>[] propagators;
  private final Object[] captured;

  private TaskContext(
      Map<String, String> mdc,
      Deadline deadline,
      ContextPropagator<?>[] propagators,
      Object[] captured) {
    this.mdc = mdc;
    this.deadline = deadline;
    this.propagators = propagators;
    this.captured = captured;
  }

  /** The submitting thread's context, or null if it has none to carry. */
  static TaskContext capture(boolean propagateMdc, ContextPropagator<?>[] propagators) {
    Map<String, String> mdc = propagateMdc ? MDC.getCopyOfContextMap() : null;
    if (mdc != null && mdc.isEmpty()) {
      mdc = null;
    }
    Deadline deadline = Deadline.currentOrNull();
    if (mdc == null && deadline == null && propagators.length == 0) {
      return null;
    }
    Object[] captured = new Object[propagators.length];
    for (int i = 0; i < propagators.length; i++) {
      captured[i] = propagators[i].capture();
    }
    return new TaskContext(mdc, deadline, propagators, captured);
  }

  /**
   * Installs the context on the worker; returns what {@link #restore} puts back. If a propagator's
   * attach throws, the ones attached before it are restored before the failure goes on to fail the
   * task, so no part of this context outlives it on the worker.
   */
  Object[] attach(Dispatcher dispatcher) {
    Object[] previous = new Object[propagators.length + 1];
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    previous[propagators.length] = Deadline.swap(deadline);
    int attached = 0;
    try {
      for (; attached < propagators.length; attached++) {
        previous[attached] = attach(propagators[attached], captured[attached]);
      }
    } catch (RuntimeException | Error failure) {
      restore(previous, attached, dispatcher);
      throw failure;
    }
    return previous;
  }

  /** Puts back what {@link #attach} replaced; never throws (see the class note). */
  void restore(Object[] previous, Dispatcher dispatcher) {
    restore(previous, propagators.length, dispatcher);
  }

  private void restore(Object[] previous, int attached, Dispatcher dispatcher) {
    for (int i = attached - 1; i >= 0; i--) {
      try {
        restore(propagators[i], previous[i]);
      } catch (Throwable failure) {
        dispatcher.restoreFailed(i, propagators[i], failure);
      }
    }
    Deadline.swap((Deadline) previous[propagators.length]);
  }

  @SuppressWarnings("unchecked") // captured[i] came from the same propagator's capture()
  private static <C> Object attach(ContextPropagator<C> propagator, Object captured) {
    return propagator.attach((C) captured);
  }

  @SuppressWarnings("unchecked") // previous[i] came from the same propagator's attach()
  private static <C> void restore(ContextPropagator<C> propagator, Object previous) {
    propagator.restore((C) previous);
  }
}
