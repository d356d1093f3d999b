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
 * The rate limiter's promise over random arrivals, whatever the limit, period, cost, wait and clock
 * tick: for SMOOTH no two admitted starts {@code k} calls apart are closer than {@code k} spacings
 * less the tick (its burst tolerance), so no span of one period holds more than the period's calls
 * plus the tick's; for ROLLING_WINDOW no span of one period holds more admitted starts than the
 * period's calls; for FIXED_WINDOW no period counted from the limiter's creation does (and so no
 * span of one period holds more than twice as many); a refusal's retry time is exact (a call
 * arriving then is admitted without waiting, one a nanosecond earlier is not, when nothing came in
 * between and the limiter has no wait); and calls spaced at the rate are never refused.
 */
class RateLimiterProperties {

  record Limits(
      Kind kind,
      int limit,
      long periodNanos,
      int permitsPerCall,
      long maxWaitNanos,
      long toleranceNanos) {

    RateLimiter limiter(long now) {
      return new RateLimiter("rl", config(), now, toleranceNanos);
    }

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

    long spacing() {
      return -Math.floorDiv(-periodNanos, calls());
    }
  }

  @Provide
  Arbitrary<Limits> limits() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(1, 12),
            Arbitraries.longs().between(50, 2_000),
            Arbitraries.integers().between(1, 3),
            Arbitraries.longs().between(0, 3_000).injectDuplicates(0.3).edgeCases(e -> e.add(0L)),
            Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(2, Arbitraries.longs().between(1, 3_000))))
        .as(
            (kind, limit, period, cost, wait, tick) ->
                new Limits(
                    kind, Math.max(limit, cost), period, cost, wait % (3 * period), tick % period))
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
    RateLimiter limiter = limits.limiter(now);
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
    if (limits.kind() == Kind.SMOOTH) {
      long spacing = limits.spacing();
      long tolerance = limits.toleranceNanos();
      for (int i = 0; i < starts.size(); i++) {
        for (int j = i + 1; j < starts.size(); j++) {
          assertThat(starts.get(j) - starts.get(i))
              .as("starts %d and %d of %s", i, j, starts)
              .isGreaterThanOrEqualTo((j - i) * spacing - tolerance);
        }
      }
      perSpan = calls + (int) -Math.floorDiv(-tolerance, spacing);
    }
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
        new Limits(
            given.kind(),
            given.limit(),
            given.periodNanos(),
            given.permitsPerCall(),
            0,
            given.toleranceNanos());
    long now = 1_000_000;
    RateLimiter limiter = limits.limiter(now);
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
    long spacing = limits.spacing();
    long now = 1_000_000;
    RateLimiter limiter = limits.limiter(now);
    for (long gap : extra) {
      now += spacing + gap;
      assertThat(limiter.acquire(now)).as("call at %d", now).isZero();
    }
  }

  @Property(tries = 1000)
  void callersTogetherWithinTheTickAreAllAdmitted(@ForAll("limits") Limits given) {
    Limits limits =
        new Limits(
            Kind.SMOOTH,
            given.limit(),
            given.periodNanos(),
            given.permitsPerCall(),
            0,
            given.toleranceNanos());
    long together = limits.toleranceNanos() / limits.spacing() + 1;
    RateLimiter limiter = limits.limiter(1_000_000);
    for (long i = 0; i < together; i++) {
      assertThat(limiter.acquire(1_000_000)).as("caller %d of %d", i, together).isZero();
    }
    assertThat(limiter.acquire(1_000_000)).as("one more").isNegative();
  }
}
