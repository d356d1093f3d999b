package dev.brownout.core.executor;

import java.util.Map;
import org.slf4j.MDC;

/**
 * What a task carries from its submitter: the MDC, the deadline and the registered propagators'
 * captures. Captured only when there is something to carry, so a plain submission allocates none.
 */
final class TaskContext {

  private final Map<String, String> mdc;
  final Deadline deadline;
  private final ContextPropagator<?>[] propagators;
  private final Object[] captured;

  private TaskContext(Map<String, String> mdc, Deadline deadline, ContextPropagator<?>[] propagators, Object[] captured) {
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

  /** Installs the context on the worker; returns what {@link #restore} puts back. */
  Object[] attach() {
    Object[] previous = new Object[propagators.length + 1];
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    previous[propagators.length] = Deadline.swap(deadline);
    for (int i = 0; i < propagators.length; i++) {
      previous[i] = attach(propagators[i], captured[i]);
    }
    return previous;
  }

  void restore(Object[] previous) {
    for (int i = propagators.length - 1; i >= 0; i--) {
      restore(propagators[i], previous[i]);
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
