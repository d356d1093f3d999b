package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.RateLimiterConfig.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The rate limiter's promise over random arrivals, whatever the limit, period, cost and wait: for
 * SMOOTH and ROLLING_WINDOW no span of one period holds more admitted starts than the period's
 * calls; for FIXED_WINDOW no period counted from the limiter's creation does (and so no span of one
 * period holds more than twice as many); a refusal's retry time is exact (a call arriving then is
 * admitted without waiting, one a nanosecond earlier is not, when nothing came in between and the
 * limiter has no wait); and calls spaced at the rate are never refused.
 */
class RateLimiterProperties {

  record Limits(Kind kind, int limit, long periodNanos, int permitsPerCall, long maxWaitNanos) {
    RateLimiterConfig config() {
      return RateLimiterConfig.builder()
          .kind(kind)
          .limit(limit)
          .period(Duration.ofNanos(periodNanos))
          .permitsPerCall(permitsPerCall)
          .maxWaitDuration(Duration.ofNanos(maxWaitNanos))
          .build();
    }

    int calls() {
      return limit / permitsPerCall;
    }
  }

  @Provide
  Arbitrary<Limits> limits() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(1, 12),
            Arbitraries.longs().between(50, 2_000),
            Arbitraries.integers().between(1, 3),
            Arbitraries.longs().between(0, 3_000).injectDuplicates(0.3).edgeCases(e -> e.add(0L)))
        .as(
            (kind, limit, period, cost, wait) ->
                new Limits(kind, Math.max(limit, cost), period, cost, wait % (3 * period)))
        .filter(l -> l.periodNanos >= l.calls());
  }

  /** Gaps between arrivals, in nanoseconds: many zero (a burst), some long (a quiet spell). */
  @Provide
  Arbitrary<List<Long>> gaps() {
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(0L)),
            Tuple.of(6, Arbitraries.longs().between(1, 200)),
            Tuple.of(1, Arbitraries.longs().between(200, 5_000)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(300);
  }

  @Property(tries = 1000)
  void noPeriodHoldsMoreThanItsCalls(
      @ForAll("limits") Limits limits, @ForAll("gaps") List<Long> gaps) {
    long now = 1_000_000;
    RateLimiter limiter = new RateLimiter("rl", limits.config(), now);
    List<Long> starts = new ArrayList<>();
    for (long gap : gaps) {
      now += gap;
      long decision = limiter.acquire(now);
      if (RateLimiter.admitted(decision)) {
        assertThat(decision).as("wait").isLessThanOrEqualTo(limits.maxWaitNanos());
        starts.add(now + decision);
      } else {
        assertThat(RateLimiter.retryAfterNanos(decision))
            .as("retry after")
            .isGreaterThan(limits.maxWaitNanos());
      }
    }
    starts.sort(null);
    int calls = limits.calls();
    int perSpan = calls;
    if (limits.kind() == Kind.FIXED_WINDOW) {
      Map<Long, Integer> perPeriod = new TreeMap<>();
      for (long start : starts) {
        perPeriod.merge((start - 1_000_000) / limits.periodNanos(), 1, Integer::sum);
      }
      assertThat(perPeriod.values()).as("calls per period %s", perPeriod).allMatch(n -> n <= calls);
      perSpan = 2 * calls;
    }
    for (int i = 0; i + perSpan < starts.size(); i++) {
      assertThat(starts.get(i + perSpan) - starts.get(i))
          .as(
              "calls %d and %d of %s (a span of one period holds at most %d)",
              i, i + perSpan, starts, perSpan)
          .isGreaterThanOrEqualTo(limits.periodNanos());
    }
  }

  @Property(tries = 1000)
  void aRefusalsRetryTimeIsExact(@ForAll("limits") Limits given, @ForAll("gaps") List<Long> gaps) {
    Limits limits =
        new Limits(given.kind(), given.limit(), given.periodNanos(), given.permitsPerCall(), 0);
    long now = 1_000_000;
    RateLimiter limiter = new RateLimiter("rl", limits.config(), now);
    for (long gap : gaps) {
      now += gap;
      long decision = limiter.acquire(now);
      if (!RateLimiter.admitted(decision)) {
        long retryAfter = RateLimiter.retryAfterNanos(decision);
        assertThat(limiter.acquire(now + retryAfter - 1)).as("a nanosecond early").isNegative();
        assertThat(limiter.acquire(now + retryAfter)).as("at the retry time").isZero();
        now += retryAfter;
      }
    }
  }

  @Property(tries = 1000)
  void callsSpacedAtTheRateAreNeverRefused(
      @ForAll("limits") Limits limits, @ForAll("gaps") List<Long> extra) {
    long spacing = -Math.floorDiv(-limits.periodNanos(), limits.calls());
    long now = 1_000_000;
    RateLimiter limiter = new RateLimiter("rl", limits.config(), now);
    for (long gap : extra) {
      now += spacing + gap;
      assertThat(limiter.acquire(now)).as("call at %d", now).isZero();
    }
  }
}
