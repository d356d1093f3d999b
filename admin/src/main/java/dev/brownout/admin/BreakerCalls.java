package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallCounts;
import dev.brownout.core.Guard;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The calls through each breaker: the counts of the guards that hold it, summed, since the start
 * and over the last second. A breaker keeps its window to itself; its guards' counts are public, so
 * the admin reads those ("for controllers and admin pages", as {@link Guard#counts} says).
 *
 * <p>{@link #tick} runs once a second on the admin's one scheduler thread, which alone touches
 * {@code previous}; requests read the published {@code lastSecond} map, replaced whole.
 */
final class BreakerCalls {

  /** The calls of one interval through one breaker. */
  record Interval(long calls, long failed, long rejected) {

    /** The share of calls that failed or timed out (fallbacks included), null with no calls. */
    @Nullable Double failureRate() {
      return calls == 0 ? null : (double) failed / calls;
    }

    Map<String, @Nullable Object> view() {
      Map<String, @Nullable Object> view = new LinkedHashMap<>();
      view.put("calls", calls);
      view.put("failed", failed);
      view.put("rejected", rejected);
      view.put("failureRate", failureRate());
      return view;
    }

    static Interval of(CallCounts counts) {
      return new Interval(
          counts.total() - counts.degraded(),
          counts.failure()
              + counts.timeout()
              + counts.fallbackAfterFailure()
              + counts.fallbackAfterTimeout(),
          counts.rejected() + counts.fallbackAfterRejection());
    }
  }

  private final Brownout brownout;
  private Map<String, CallCounts> previous = Map.of();
  private volatile Map<String, Interval> lastSecond = Map.of();

  BreakerCalls(Brownout brownout) {
    this.brownout = brownout;
  }

  /** Every breaker's calls since the start, by breaker name. */
  Map<String, CallCounts> totals() {
    Map<String, CallCounts> totals = new HashMap<>();
    for (Guard guard : brownout.guards()) {
      guard
          .circuitBreaker()
          .ifPresent(breaker -> totals.merge(breaker.name(), guard.counts(), BreakerCalls::plus));
    }
    return totals;
  }

  /** Reads the totals and publishes the last second's calls. Scheduler thread only. */
  void tick() {
    Map<String, CallCounts> now = totals();
    Map<String, Interval> second = new HashMap<>();
    now.forEach(
        (name, counts) -> {
          CallCounts before = previous.get(name);
          second.put(name, Interval.of(before == null ? counts : counts.minus(before)));
        });
    previous = now;
    lastSecond = Map.copyOf(second);
  }

  /** The calls through {@code breaker} over the last second, or null before the first second. */
  @Nullable Interval lastSecond(String breaker) {
    return lastSecond.get(breaker);
  }

  private static CallCounts plus(CallCounts a, CallCounts b) {
    return new CallCounts(
        a.success() + b.success(),
        a.failure() + b.failure(),
        a.rejected() + b.rejected(),
        a.timeout() + b.timeout(),
        a.degraded() + b.degraded(),
        a.fallbackAfterFailure() + b.fallbackAfterFailure(),
        a.fallbackAfterTimeout() + b.fallbackAfterTimeout(),
        a.fallbackAfterRejection() + b.fallbackAfterRejection());
  }
}
