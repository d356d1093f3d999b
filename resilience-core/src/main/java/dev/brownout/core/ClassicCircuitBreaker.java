package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resilience4j's state machine without its lock.
 *
 * <p>Design note. The state is one immutable phase object behind a volatile field; a transition is
 * a CAS from the phase a thread saw to a new one, so exactly one thread wins each transition and
 * publishes it once. In CLOSED, permission is one volatile read and a fast success one striped
 * increment in the window. Time is read only when a decision needs it: the wait in OPEN, a time
 * window, or a slow-call threshold.
 *
 * <p>Two clocks. The precise ticker dates the start of OPEN (once per opening); the runtime's
 * coarse {@code clock} (see {@link CoarseClock}) decides when OPEN ends, on every rejected call,
 * and dates a time window's calls. The coarse reading is never ahead of the precise one, so OPEN
 * never ends before its wait, and ends at most one tick of the clock after it. Slow calls are timed
 * on the coarse clock when the threshold is at least {@link #COARSE_SLOW_CALL_NANOS} (its error, a
 * tick, is then a tenth of the threshold or less), else on the precise ticker.
 */
final class ClassicCircuitBreaker extends CircuitBreaker {

  private static final VarHandle PHASE;

  static {
    try {
      PHASE =
          MethodHandles.lookup().findVarHandle(ClassicCircuitBreaker.class, "phase", Phase.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The smallest slow-call threshold timed on the coarse clock: ten of its ~1 ms ticks. */
  static final long COARSE_SLOW_CALL_NANOS = 10_000_000L;

  private final CircuitBreakerConfig config;
  private final Ticker ticker;
  private final Ticker clock;
  private final Telemetry telemetry;
  private final boolean timesCalls;
  private final long slowNanos;

  @SuppressWarnings("unused") // accessed through PHASE
  private volatile Phase phase;

  ClassicCircuitBreaker(
      String name,
      String family,
      CircuitBreakerConfig config,
      Ticker ticker,
      Ticker clock,
      Telemetry telemetry) {
    super(name, family);
    this.config = config;
    this.ticker = ticker;
    this.clock = clock;
    this.telemetry = telemetry;
    this.timesCalls = config.slowCallDetection();
    this.slowNanos =
        config.slowCallDetection() ? config.slowCallDurationThresholdNanos() : Long.MAX_VALUE;
    this.phase = closed();
  }

  CircuitBreakerConfig config() {
    return config;
  }

  @Override
  public State state() {
    return phase.state;
  }

  @Override
  public boolean isRejectingCalls() {
    return phase.rejects(this);
  }

  @Override
  public boolean tryAcquirePermission() {
    Phase current = phase;
    if (current.state == State.CLOSED) {
      return true;
    }
    return current.tryAcquire(this);
  }

  @Override
  public void releasePermission() {
    phase.release();
  }

  @Override
  public void onSuccess(long durationNanos) {
    record(durationNanos, false);
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    switch (config.classifier().classify(error)) {
      case IGNORED -> releasePermission();
      case SUCCESS -> record(durationNanos, false);
      case FAILURE -> record(durationNanos, true);
    }
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    record(durationNanos, result != null && config.recordResult().test(result));
  }

  private void record(long durationNanos, boolean failed) {
    int outcome =
        (failed ? ClassicWindow.FAILED : 0) | (durationNanos > slowNanos ? ClassicWindow.SLOW : 0);
    Phase current = phase;
    ClassicWindow window = current.window;
    if (window == null) {
      return;
    }
    ClassicWindow.Rates rates = window.record(outcome);
    if (rates == ClassicWindow.Rates.NOT_EVALUATED) {
      return;
    }
    if (current.state == State.CLOSED && rates.exceeded()) {
      transition(current, open(current.attempts + 1));
    } else if (current.state == State.HALF_OPEN) {
      if (rates.exceeded()) {
        transition(current, open(current.attempts + 1));
      } else if (rates == ClassicWindow.Rates.BELOW_THRESHOLDS) {
        transition(current, closed());
      }
    }
  }

  @Override
  public void forceOpen() {
    set(new Phase(State.FORCED_OPEN, 0, null));
  }

  @Override
  public void forceClosed() {
    set(new Phase(State.FORCED_CLOSED, 0, newClosedWindow()));
  }

  @Override
  public void disable() {
    set(new Phase(State.DISABLED, 0, null));
  }

  @Override
  public void reset() {
    set(closed());
  }

  @Override
  boolean timesCalls() {
    return timesCalls;
  }

  @Override
  Ticker durationTicker(Ticker precise) {
    return slowNanos >= COARSE_SLOW_CALL_NANOS ? clock : precise;
  }

  private void set(Phase next) {
    Phase previous = (Phase) PHASE.getAndSet(this, next);
    if (previous.state != next.state) {
      telemetry.transition(this, previous.state, next.state);
    }
  }

  private boolean transition(Phase expected, Phase next) {
    if (PHASE.compareAndSet(this, expected, next)) {
      telemetry.transition(this, expected.state, next.state);
      return true;
    }
    return false;
  }

  private Phase closed() {
    return new Phase(State.CLOSED, 0, newClosedWindow());
  }

  private ClassicWindow newClosedWindow() {
    return config.windowType() == CircuitBreakerConfig.WindowType.COUNT_BASED
        ? new CountWindow(config, config.slidingWindowSize(), config.minimumNumberOfCalls(), false)
        : new TimeWindow(config, clock);
  }

  private Phase open(int attempts) {
    return new Open(attempts, ticker.read() + config.waitInOpenStateNanos(attempts));
  }

  /** One state with the data it needs; immutable apart from the permits of HALF_OPEN. */
  private static class Phase {
    final State state;
    final int attempts;
    final ClassicWindow window;

    Phase(State state, int attempts, ClassicWindow window) {
      this.state = state;
      this.attempts = attempts;
      this.window = window;
    }

    boolean tryAcquire(ClassicCircuitBreaker breaker) {
      return state != State.FORCED_OPEN;
    }

    boolean rejects(ClassicCircuitBreaker breaker) {
      return state == State.FORCED_OPEN;
    }

    void release() {}
  }

  /** OPEN: no window (late reports change nothing), a deadline after which probes may start. */
  private static final class Open extends Phase {
    private final long until;

    Open(int attempts, long until) {
      super(State.OPEN, attempts, null);
      this.until = until;
    }

    @Override
    boolean tryAcquire(ClassicCircuitBreaker breaker) {
      if (breaker.clock.read() - until > 0) {
        breaker.transition(this, breaker.halfOpen(attempts));
        Phase now = breaker.phase;
        return now != this && now.tryAcquire(breaker);
      }
      return false;
    }

    @Override
    boolean rejects(ClassicCircuitBreaker breaker) {
      return breaker.clock.read() - until <= 0;
    }
  }

  private Phase halfOpen(int attempts) {
    int probes = config.permittedNumberOfCallsInHalfOpenState();
    // As Resilience4j: a window over the probes that decides after min(minimumNumberOfCalls,
    // probes).
    return new HalfOpen(
        attempts, new CountWindow(config, probes, config.minimumNumberOfCalls(), true), probes);
  }

  /** HALF_OPEN: a fixed number of probe permits and a fresh count window over the probes. */
  private static final class HalfOpen extends Phase {
    private final AtomicInteger permits;

    HalfOpen(int attempts, ClassicWindow window, int probes) {
      super(State.HALF_OPEN, attempts, window);
      this.permits = new AtomicInteger(probes);
    }

    @Override
    boolean tryAcquire(ClassicCircuitBreaker breaker) {
      for (; ; ) {
        int available = permits.get();
        if (available == 0) {
          return false;
        }
        if (permits.compareAndSet(available, available - 1)) {
          return true;
        }
      }
    }

    @Override
    void release() {
      permits.incrementAndGet();
    }
  }
}
