package dev.brownout.core;

import java.util.concurrent.TimeUnit;

/**
 * An existing Resilience4j breaker inside a guard, for teams that move to Brownout one dependency
 * at a time: the breaker keeps its config, state, events and metrics; the guard adds its other
 * policies.
 */
final class Resilience4jCircuitBreaker extends CircuitBreaker {

  private final io.github.resilience4j.circuitbreaker.CircuitBreaker delegate;

  Resilience4jCircuitBreaker(
      io.github.resilience4j.circuitbreaker.CircuitBreaker delegate, Telemetry telemetry) {
    super(delegate.getName(), delegate.getName());
    this.delegate = delegate;
    delegate
        .getEventPublisher()
        .onStateTransition(
            event ->
                telemetry.transition(
                    this,
                    map(event.getStateTransition().getFromState()),
                    map(event.getStateTransition().getToState())));
  }

  @Override
  public State state() {
    return map(delegate.getState());
  }

  static State map(io.github.resilience4j.circuitbreaker.CircuitBreaker.State state) {
    return switch (state) {
      case OPEN -> State.OPEN;
      case HALF_OPEN -> State.HALF_OPEN;
      case FORCED_OPEN -> State.FORCED_OPEN;
      case METRICS_ONLY -> State.FORCED_CLOSED;
      case DISABLED -> State.DISABLED;
      case CLOSED -> State.CLOSED;
    };
  }

  @Override
  public boolean tryAcquirePermission() {
    return delegate.tryAcquirePermission();
  }

  @Override
  public void releasePermission() {
    delegate.releasePermission();
  }

  @Override
  public void onSuccess(long durationNanos) {
    delegate.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    delegate.onError(durationNanos, TimeUnit.NANOSECONDS, error);
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    delegate.onResult(durationNanos, TimeUnit.NANOSECONDS, result);
  }

  @Override
  public void forceOpen() {
    delegate.transitionToForcedOpenState();
  }

  @Override
  public void forceClosed() {
    delegate.transitionToMetricsOnlyState();
  }

  @Override
  public void disable() {
    delegate.transitionToDisabledState();
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  boolean timesCalls() {
    return true;
  }
}
