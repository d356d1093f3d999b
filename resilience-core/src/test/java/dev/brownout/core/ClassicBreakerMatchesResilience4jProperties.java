package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.CircuitBreakerConfig.WindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Resilience4j is the oracle for the classic breaker: the same settings and the same sequence of
 * calls, outcomes, durations and time steps must leave both breakers in the same state, and both
 * must agree on every permission.
 */
class ClassicBreakerMatchesResilience4jProperties {

  enum Kind {
    SUCCESS,
    FAILURE,
    SLOW_SUCCESS,
    SLOW_FAILURE,
    IGNORED,
    RELEASE,
    WAIT
  }

  record Step(Kind kind, long millis) {}

  record Settings(
      WindowType window,
      int size,
      int minimumCalls,
      float failureRate,
      float slowRate,
      long slowMillis,
      long waitMillis,
      int probes) {}

  static final class Ignored extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Property(tries = 2000)
  void bothBreakersAgreeOnEveryPermissionAndEveryState(
      @ForAll("settings") Settings settings, @ForAll("steps") List<Step> steps) {
    runBoth(settings, steps);
  }

  @Property(tries = 300)
  void bothBreakersAgreeOverLongRunsThroughLargeWindows(
      @ForAll("largeSettings") Settings settings, @ForAll("longSteps") List<Step> steps) {
    runBoth(settings, steps);
  }

  /**
   * Long healthy streaks let a count window go quiet (stop counting successes) and wake up again.
   */
  @Property(tries = 300)
  void bothBreakersAgreeAcrossLongHealthyStreaks(
      @ForAll("largeSettings") Settings settings, @ForAll("streakySteps") List<Step> steps) {
    runBoth(settings, steps);
  }

  private static void runBoth(Settings settings, List<Step> steps) {
    ManualTicker ticker = new ManualTicker();
    ticker.advance(Duration.ofDays(365));
    io.github.resilience4j.circuitbreaker.CircuitBreaker oracle =
        io.github.resilience4j.circuitbreaker.CircuitBreaker.of(
            "oracle", resilience4j(settings, ticker));
    CircuitBreaker brownout;
    try (Brownout runtime = Brownout.builder().ticker(ticker).build()) {
      brownout = runtime.circuitBreaker("subject", brownout(settings));
    }
    long slowNanos = TimeUnit.MILLISECONDS.toNanos(settings.slowMillis());

    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.kind() == Kind.WAIT) {
        ticker.advance(Duration.ofMillis(step.millis()));
      } else {
        boolean expected = oracle.tryAcquirePermission();
        assertThat(brownout.tryAcquirePermission())
            .as("permission at step %d (%s)", i, step)
            .isEqualTo(expected);
        if (expected) {
          long duration =
              step.kind() == Kind.SLOW_SUCCESS || step.kind() == Kind.SLOW_FAILURE
                  ? slowNanos + 1 + step.millis()
                  : Math.min(step.millis(), slowNanos);
          report(oracle, brownout, step.kind(), duration);
        }
      }
      assertThat(brownout.state().name())
          .as("state after step %d (%s) of %s with %s", i, step, steps, settings)
          .isEqualTo(oracle.getState().name());
    }
  }

  private static void report(
      io.github.resilience4j.circuitbreaker.CircuitBreaker oracle,
      CircuitBreaker brownout,
      Kind kind,
      long nanos) {
    switch (kind) {
      case SUCCESS, SLOW_SUCCESS -> {
        oracle.onSuccess(nanos, TimeUnit.NANOSECONDS);
        brownout.onSuccess(nanos);
      }
      case FAILURE, SLOW_FAILURE -> {
        IllegalStateException failure = new IllegalStateException("down");
        oracle.onError(nanos, TimeUnit.NANOSECONDS, failure);
        brownout.onError(nanos, failure);
      }
      case IGNORED -> {
        Ignored ignored = new Ignored();
        oracle.onError(nanos, TimeUnit.NANOSECONDS, ignored);
        brownout.onError(nanos, ignored);
      }
      case RELEASE -> {
        oracle.releasePermission();
        brownout.releasePermission();
      }
      case WAIT -> throw new AssertionError("a wait is not a call");
    }
  }

  private static io.github.resilience4j.circuitbreaker.CircuitBreakerConfig resilience4j(
      Settings s, ManualTicker clock) {
    return io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
        .slidingWindow(
            s.size(),
            s.minimumCalls(),
            s.window() == WindowType.COUNT_BASED
                ? SlidingWindowType.COUNT_BASED
                : SlidingWindowType.TIME_BASED)
        .failureRateThreshold(s.failureRate())
        .slowCallRateThreshold(s.slowRate())
        .slowCallDurationThreshold(Duration.ofMillis(s.slowMillis()))
        .waitDurationInOpenState(Duration.ofMillis(s.waitMillis()))
        .permittedNumberOfCallsInHalfOpenState(s.probes())
        .ignoreExceptions(Ignored.class)
        .clock(clock)
        .build();
  }

  private static CircuitBreakerConfig brownout(Settings s) {
    return CircuitBreakerConfig.builder()
        .slidingWindow(s.window(), s.size(), s.minimumCalls())
        .failureRateThreshold(s.failureRate())
        .slowCallRateThreshold(s.slowRate())
        .slowCallDurationThreshold(Duration.ofMillis(s.slowMillis()))
        .waitDurationInOpenState(Duration.ofMillis(s.waitMillis()))
        .permittedNumberOfCallsInHalfOpenState(s.probes())
        .ignoreExceptions(Ignored.class)
        .build();
  }

  @Provide
  Arbitrary<Settings> settings() {
    Arbitrary<WindowType> window = Arbitraries.of(WindowType.class);
    Arbitrary<Integer> size = Arbitraries.integers().between(1, 12);
    Arbitrary<Integer> minimum = Arbitraries.integers().between(1, 15);
    Arbitrary<Float> rate = Arbitraries.of(1f, 10f, 25f, 33.3f, 50f, 66.7f, 75f, 99.9f, 100f);
    Arbitrary<Long> slow = Arbitraries.longs().between(1, 500);
    Arbitrary<Long> wait = Arbitraries.longs().between(1, 3_000);
    Arbitrary<Integer> probes = Arbitraries.integers().between(1, 5);
    return Combinators.combine(window, size, minimum, rate, rate, slow, wait, probes)
        .as(Settings::new);
  }

  @Provide
  Arbitrary<Settings> largeSettings() {
    Arbitrary<WindowType> window = Arbitraries.of(WindowType.class);
    Arbitrary<Integer> size = Arbitraries.integers().between(10, 60);
    Arbitrary<Integer> minimum = Arbitraries.integers().between(1, 70);
    Arbitrary<Float> rate = Arbitraries.floats().between(1f, 100f).ofScale(1);
    Arbitrary<Long> slow = Arbitraries.longs().between(1, 500);
    Arbitrary<Long> wait = Arbitraries.longs().between(1, 10_000);
    Arbitrary<Integer> probes = Arbitraries.integers().between(1, 12);
    return Combinators.combine(window, size, minimum, rate, rate, slow, wait, probes)
        .as(Settings::new);
  }

  @Provide
  Arbitrary<List<Step>> longSteps() {
    return steps()
        .map(List::copyOf)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(lists -> lists.stream().flatMap(List::stream).toList());
  }

  @Provide
  Arbitrary<List<Step>> streakySteps() {
    Arbitrary<List<Step>> streak =
        Arbitraries.integers()
            .between(100, 400)
            .map(n -> java.util.Collections.nCopies(n, new Step(Kind.SUCCESS, 0)));
    return Arbitraries.oneOf(streak, steps())
        .list()
        .ofMinSize(2)
        .ofMaxSize(8)
        .map(blocks -> blocks.stream().flatMap(List::stream).toList());
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Kind> kind =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.SUCCESS)),
            net.jqwik.api.Tuple.of(5, Arbitraries.just(Kind.FAILURE)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SLOW_SUCCESS)),
            net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SLOW_FAILURE)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.IGNORED)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RELEASE)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.WAIT)));
    Arbitrary<Long> millis = Arbitraries.longs().between(0, 2_500);
    return Combinators.combine(kind, millis).as(Step::new).list().ofMinSize(1).ofMaxSize(120);
  }
}
