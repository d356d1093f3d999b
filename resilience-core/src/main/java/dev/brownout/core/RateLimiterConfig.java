package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * Settings of a rate limiter: how many permits a period allows, how they are spread over it, what
 * one call costs, and how long a call may wait for its turn (zero by default: a call over the rate
 * is refused at once with a {@link RateLimitedException} that says when to come back).
 *
 * <pre>{@code
 * RateLimiterConfig config = RateLimiterConfig.builder()
 *     .limit(100)
 *     .period(Duration.ofSeconds(1))
 *     .build();                         // 100 calls a second, one every 10 ms
 * }</pre>
 *
 * <p>A call costing {@code c} permits gets {@code limit / c} (rounded down) calls a period. The
 * kinds differ in how they spread them, and so in what "a period" means:
 *
 * <ul>
 *   <li>{@link Kind#SMOOTH} (the default) spaces calls evenly, one every {@code period / calls}:
 *       the steadiest load for what is behind it. Its only burst is one tick of the runtime's
 *       coarse clock (a millisecond): a call whose turn is at most that far ahead starts at once,
 *       so callers that arrive together are not refused while the rate has room;
 *   <li>{@link Kind#FIXED_WINDOW} admits a period's calls as they come and starts counting afresh
 *       at each period's boundary, counted from the limiter's creation: bursts are allowed inside a
 *       period, and each period holds at most its calls, so a span of one period across a boundary
 *       may hold twice as many (the end of one period's burst and the start of the next);
 *   <li>{@link Kind#ROLLING_WINDOW} admits a call when fewer than a period's calls were admitted in
 *       the period before it: bursts like a fixed window, yet no span of one period holds more than
 *       a period's calls. It remembers one instant per call of a period, so its limit is at most
 *       {@value #MAX_ROLLING_CALLS} calls a period, and it decides under a short lock.
 * </ul>
 */
public final class RateLimiterConfig extends ValueConfig {

  /** The most calls a period a {@link Kind#ROLLING_WINDOW} limiter can remember. */
  public static final int MAX_ROLLING_CALLS = 1 << 16;

  /** How a rate limiter spreads its permits over a period. */
  public enum Kind {
    /** Calls evenly spaced: one every {@code period / calls}, give or take a clock tick. */
    SMOOTH,
    /** A period's calls as they come, counted afresh at each period's boundary. */
    FIXED_WINDOW,
    /** A period's calls as they come, counted over the period before each call. */
    ROLLING_WINDOW
  }

  private final Kind kind;
  private final int limit;
  private final Duration period;
  private final int permitsPerCall;
  private final Duration maxWaitDuration;

  private RateLimiterConfig(
      Kind kind, int limit, Duration period, int permitsPerCall, Duration maxWaitDuration) {
    this.kind = kind;
    this.limit = limit;
    this.period = period;
    this.permitsPerCall = permitsPerCall;
    this.maxWaitDuration = maxWaitDuration;
  }

  /** {@code calls} calls a second, smoothly spaced, no wait. */
  public static RateLimiterConfig perSecond(int calls) {
    return builder().limit(calls).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Kind kind() {
    return kind;
  }

  /** The permits one period allows. */
  public int limit() {
    return limit;
  }

  public Duration period() {
    return period;
  }

  /** The permits one call costs. */
  public int permitsPerCall() {
    return permitsPerCall;
  }

  /** The calls one period admits: {@code limit / permitsPerCall}, rounded down. */
  public int callsPerPeriod() {
    return limit / permitsPerCall;
  }

  /** How long a call may wait for its turn before it is refused. */
  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  @Override
  ConfigValues values() {
    return new ConfigValues("RateLimiterConfig")
        .value("kind", kind)
        .value("limit", limit)
        .value("period", period)
        .value("permitsPerCall", permitsPerCall)
        .value("maxWaitDuration", maxWaitDuration);
  }

  /** Builds a {@link RateLimiterConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private Kind kind = Kind.SMOOTH;
    private int limit = 100;
    private Duration period = Duration.ofSeconds(1);
    private int permitsPerCall = 1;
    private Duration maxWaitDuration = Duration.ZERO;

    private Builder() {}

    /** How permits are spread over a period; {@link Kind#SMOOTH} by default. */
    public Builder kind(Kind kind) {
      this.kind = kind;
      return this;
    }

    /**
     * The permits one period allows; 100 by default (with the one-second period, SmallRye's
     * default).
     */
    public Builder limit(int permits) {
      this.limit = permits;
      return this;
    }

    /** The span the limit applies to; one second by default. */
    public Builder period(Duration period) {
      this.period = period;
      return this;
    }

    /** The permits one call costs; 1 by default. */
    public Builder permitsPerCall(int permits) {
      this.permitsPerCall = permits;
      return this;
    }

    /** How long a call may wait for its turn before it is refused; zero by default. */
    public Builder maxWaitDuration(Duration wait) {
      this.maxWaitDuration = wait;
      return this;
    }

    public RateLimiterConfig build() {
      Settings.notNull("rateLimiter.kind", kind);
      Settings.positive("rateLimiter.limit", limit);
      Settings.positive("rateLimiter.period", period);
      Settings.positive("rateLimiter.permitsPerCall", permitsPerCall);
      Settings.atMost("rateLimiter.permitsPerCall", permitsPerCall, limit);
      Settings.notNegative("rateLimiter.maxWaitDuration", maxWaitDuration);
      long periodNanos = RateLimiter.nanos(period);
      if (periodNanos < limit / permitsPerCall) {
        throw Settings.invalid(
            "rateLimiter.limit",
            limit,
            "must allow at most one call a nanosecond of rateLimiter.period " + period);
      }
      if (kind == Kind.ROLLING_WINDOW && limit / permitsPerCall > MAX_ROLLING_CALLS) {
        throw Settings.invalid(
            "rateLimiter.limit",
            limit,
            "must allow at most "
                + MAX_ROLLING_CALLS
                + " calls a period for ROLLING_WINDOW (it keeps one instant"
                + " per call); use SMOOTH or FIXED_WINDOW for higher rates");
      }
      return new RateLimiterConfig(kind, limit, period, permitsPerCall, maxWaitDuration);
    }
  }
}
