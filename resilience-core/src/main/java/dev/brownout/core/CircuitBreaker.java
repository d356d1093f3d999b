package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import org.jspecify.annotations.Nullable;

/**
 * Stops calling a dependency that is failing, lets a few probes through after a wait, and resumes
 * when they succeed.
 *
 * <p>Two kinds share this type: the classic breaker ({@link Brownout#circuitBreaker(String,
 * CircuitBreakerConfig)}), which makes Resilience4j's decisions without its lock, and the adaptive
 * breaker ({@link Brownout#adaptiveCircuitBreaker(String, AdaptiveBreakerConfig)}), which sheds a
 * share of calls in proportion to the dependency's recent rejections. An existing Resilience4j
 * breaker can also be adopted ({@link Resilience4jBreakers#adopt}).
 *
 * <p>Guards drive breakers for you; the recording methods are public for integrations that cannot
 * use a guard: ask {@link #tryAcquirePermission()}, run the call, then report exactly one of {@link
 * #onSuccess}, {@link #onError}, {@link #onResult} or {@link #releasePermission()}.
 */
public abstract class CircuitBreaker {

  /** The states of a breaker, in Resilience4j's vocabulary plus the adaptive breaker's own. */
  public enum State {
    /** Calls flow and their outcomes are recorded. */
    CLOSED(0),
    /** Calls are rejected until the wait in OPEN ends. */
    OPEN(1),
    /** A limited number of probe calls decide between CLOSED and OPEN. */
    HALF_OPEN(2),
    /** The adaptive breaker rejects a share of calls, in proportion to recent rejections. */
    THROTTLING(3),
    /** Set by hand: every call is rejected until the breaker is reset. */
    FORCED_OPEN(4),
    /** Set by hand: every call is permitted and recorded, and the breaker never opens. */
    FORCED_CLOSED(5),
    /** Set by hand: every call is permitted and nothing is recorded. */
    DISABLED(6);

    private final int code;

    State(int code) {
      this.code = code;
    }

    /** A stable number for the state, as published by the {@code brownout.breaker.state} gauge. */
    public int code() {
      return code;
    }
  }

  private final String name;
  private final String family;
  private final CallNotPermittedException rejection;

  /**
   * A breaker named {@code name}, counted in metrics under {@code family} (a per-key guard's
   * family).
   */
  CircuitBreaker(String name, String family) {
    this.name = Settings.name("circuitBreaker.name", name);
    this.family = family;
    this.rejection = new CallNotPermittedException(name);
  }

  public final String name() {
    return name;
  }

  public abstract State state();

  /** The name metrics use: the breaker's own, or its per-key family's. */
  final String family() {
    return family;
  }

  /**
   * Whether a call arriving now would be rejected, asked without taking a permission or changing
   * the state: OPEN before its wait has ended, or FORCED_OPEN. A feature that switches itself off
   * while its breaker is open stops sending calls, so it needs this (not {@link #state()}, which
   * stays OPEN until a call arrives) to learn when the breaker is ready to probe again.
   */
  public boolean isRejectingCalls() {
    State state = state();
    return state == State.OPEN || state == State.FORCED_OPEN;
  }

  /** Whether a call may start now; a permitted call must later be reported exactly once. */
  public abstract boolean tryAcquirePermission();

  /** Gives back a permission for a call that was permitted but did not run. */
  public abstract void releasePermission();

  /** Reports a call that returned normally, after {@code durationNanos}. */
  public abstract void onSuccess(long durationNanos);

  /** Reports a call that threw, after {@code durationNanos}; the config decides how it counts. */
  public abstract void onError(long durationNanos, Throwable error);

  /**
   * Reports a call that returned {@code result}; the config's result predicate may count it as a
   * failure.
   */
  public abstract void onResult(long durationNanos, @Nullable Object result);

  /** Rejects every call until {@link #reset()}. */
  public abstract void forceOpen();

  /** Permits every call and keeps recording, but never opens, until {@link #reset()}. */
  public abstract void forceClosed();

  /** Permits every call and records nothing, until {@link #reset()}. */
  public abstract void disable();

  /** Returns to CLOSED with an empty window. */
  public abstract void reset();

  /**
   * Whether this breaker needs call durations; a guard reads the clock only if some policy does.
   */
  abstract boolean timesCalls();

  /**
   * The ticker a guard times calls with when only this breaker needs their durations: {@code
   * precise}, unless the breaker's decisions tolerate the runtime's coarse clock.
   */
  Ticker durationTicker(Ticker precise) {
    return precise;
  }

  /** The exception a guard throws (or hands to a fallback) for a call this breaker rejected. */
  final CallNotPermittedException rejection() {
    return rejection;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + ", " + state() + "]";
  }
}
