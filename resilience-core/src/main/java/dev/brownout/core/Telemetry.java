package dev.brownout.core;

import dev.brownout.core.internal.LogText;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a runtime's events go: one log line per breaker transition, the transition counter, and the
 * listeners. Nothing here may throw into a call: a failing listener or meter is logged and skipped,
 * whatever it throws (an {@code Error}, a checked exception thrown sneakily), except a {@link
 * VirtualMachineError}: after an {@code OutOfMemoryError} or a {@code StackOverflowError} the JVM's
 * state is in doubt, and hiding it in a log line would let the service run on as if healthy. The
 * guard then treats it as a hook's failure: the call fails with it, holding nothing.
 */
final class Telemetry {

  private static final Logger LOG = LoggerFactory.getLogger(Brownout.class);

  private final List<BrownoutListener> listeners;
  private final BrownoutMetrics metrics;

  Telemetry(List<BrownoutListener> listeners, BrownoutMetrics metrics) {
    this.listeners = new CopyOnWriteArrayList<>(listeners);
    this.metrics = metrics;
  }

  BrownoutMetrics metrics() {
    return metrics;
  }

  void transition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
    if (to == CircuitBreaker.State.OPEN
        || to == CircuitBreaker.State.THROTTLING
        || to == CircuitBreaker.State.FORCED_OPEN) {
      LOG.warn("circuit breaker '{}' changed from {} to {}", LogText.of(breaker.name()), from, to);
    } else {
      LOG.info("circuit breaker '{}' changed from {} to {}", LogText.of(breaker.name()), from, to);
    }
    try {
      metrics.transition(breaker, from, to);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.warn(
          "recording the transition of circuit breaker '{}' failed{}",
          LogText.of(breaker.name()),
          LogText.trailingTrace(e));
    }
    for (BrownoutListener listener : listeners) {
      try {
        listener.onStateTransition(breaker, from, to);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn(
            "listener {} failed on a transition of circuit breaker '{}'{}",
            LogText.of(listener),
            LogText.of(breaker.name()),
            LogText.trailingTrace(e));
      }
    }
  }

  void rejected(String guard, RejectedCallException rejection) {
    for (BrownoutListener listener : listeners) {
      try {
        listener.onRejected(guard, rejection);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn(
            "listener {} failed on a rejection by guard '{}'{}",
            LogText.of(listener),
            LogText.of(guard),
            LogText.trailingTrace(e));
      }
    }
  }

  boolean hasListeners() {
    return !listeners.isEmpty();
  }
}
