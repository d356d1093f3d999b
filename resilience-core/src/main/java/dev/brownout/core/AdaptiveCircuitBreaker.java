package dev.brownout.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Client-side throttling: rejects with probability {@code max(0, (requests - K * accepts) /
 * (requests + 1))} over a rolling window (see {@link AdaptiveBreakerConfig}).
 *
 * <p>Design note. Requests and accepts go to striped per-second cells (one CAS on the thread's own
 * line). The probability is recomputed at most once a second, by the first thread to see a new
 * second (under a try-lock; the others keep using the previous value), so a call costs one read of
 * the runtime's coarse clock ({@link CoarseClock}, one volatile load), one volatile read and one
 * striped increment, plus a random draw only while throttling. The price is that throttling reacts
 * within a second, not within a call, which suits a window of minutes.
 */
final class AdaptiveCircuitBreaker extends CircuitBreaker {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final AdaptiveBreakerConfig config;
  private final Ticker ticker;
  private final Telemetry telemetry;
  private final SecondCells requests;
  private final SecondCells accepts;
  private final ReentrantLock refresh = new ReentrantLock();

  private volatile long second = Long.MIN_VALUE;
  private volatile double rejectProbability;
  private volatile State state = State.CLOSED;
  private volatile State manual;

  AdaptiveCircuitBreaker(
      String name,
      String family,
      AdaptiveBreakerConfig config,
      Ticker ticker,
      Telemetry telemetry) {
    super(name, family);
    this.config = config;
    this.ticker = ticker;
    this.telemetry = telemetry;
    this.requests = new SecondCells(config.windowSeconds());
    this.accepts = new SecondCells(config.windowSeconds());
  }

  @Override
  public State state() {
    State forced = manual;
    return forced != null ? forced : state;
  }

  /** The current probability that a call is rejected. */
  double rejectProbability() {
    return rejectProbability;
  }

  @Override
  public boolean tryAcquirePermission() {
    State forced = manual;
    if (forced == State.FORCED_OPEN || forced == State.DISABLED) {
      return forced == State.DISABLED;
    }
    long now = Math.floorDiv(ticker.read(), NANOS_PER_SECOND);
    if (now != second) {
      refresh(now);
    }
    requests.add(now, 1);
    if (forced == State.FORCED_CLOSED) {
      return true; // permitted, and recorded like any call, so the window is current when reset
    }
    double p = rejectProbability;
    return p == 0.0 || ThreadLocalRandom.current().nextDouble() >= p;
  }

  @Override
  public void releasePermission() {
    if (records()) {
      requests.add(second, -1);
    }
  }

  /** Whether calls are recorded now: unless the breaker was forced open or disabled by hand. */
  private boolean records() {
    State forced = manual;
    return forced == null || forced == State.FORCED_CLOSED;
  }

  @Override
  public void onSuccess(long durationNanos) {
    accepted();
  }

  @Override
  public void onError(long durationNanos, Throwable error) {
    switch (config.classifier().classify(error)) {
      case IGNORED -> releasePermission();
      case SUCCESS -> accepted();
      case FAILURE -> {
        // A request the dependency did not accept: counted in requests only.
      }
    }
  }

  @Override
  public void onResult(long durationNanos, Object result) {
    accepted();
  }

  private void accepted() {
    if (records()) {
      accepts.add(second, 1);
    }
  }

  @Override
  public void forceOpen() {
    setManual(State.FORCED_OPEN);
  }

  @Override
  public void forceClosed() {
    setManual(State.FORCED_CLOSED);
  }

  @Override
  public void disable() {
    setManual(State.DISABLED);
  }

  @Override
  public void reset() {
    State before = state();
    manual = null;
    rejectProbability = 0.0;
    state = State.CLOSED;
    if (before != State.CLOSED) {
      telemetry.transition(this, before, State.CLOSED);
    }
  }

  @Override
  boolean timesCalls() {
    return false;
  }

  private void setManual(State forced) {
    State before = state();
    manual = forced;
    if (before != forced) {
      telemetry.transition(this, before, forced);
    }
  }

  private void refresh(long now) {
    if (!refresh.tryLock()) {
      return;
    }
    try {
      if (now <= second) {
        return; // another thread got there first, or read the clock just before it ticked
      }
      long requested = requests.sum(now);
      long accepted = accepts.sum(now);
      double p = Math.max(0.0, (requested - config.k() * accepted) / (requested + 1.0));
      rejectProbability = p;
      second = now;
      State next = p > 0.0 ? State.THROTTLING : State.CLOSED;
      State before = state;
      if (before != next) {
        state = next;
        if (manual == null) {
          telemetry.transition(this, before, next);
        }
      }
    } finally {
      refresh.unlock();
    }
  }
}
