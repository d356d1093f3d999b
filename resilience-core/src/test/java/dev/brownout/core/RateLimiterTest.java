package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.RateLimiterConfig.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RateLimiterTest {

  private static final long MS = 1_000_000;

  private static RateLimiter limiter(Kind kind, int limit, Duration wait) {
    return new RateLimiter(
        "rl",
        RateLimiterConfig.builder()
            .kind(kind)
            .limit(limit)
            .period(Duration.ofMillis(100))
            .maxWaitDuration(wait)
            .build(),
        0);
  }

  @Test
  void smoothSpacesCallsEvenly() {
    RateLimiter limiter = limiter(Kind.SMOOTH, 4, Duration.ZERO);
    assertThat(limiter.acquire(0)).isZero();
    long refused = limiter.acquire(10 * MS);
    assertThat(RateLimiter.admitted(refused)).isFalse();
    assertThat(RateLimiter.retryAfterNanos(refused)).isEqualTo(15 * MS);
    assertThat(limiter.acquire(25 * MS)).isZero();
    assertThat(limiter.acquire(50 * MS)).isZero();
  }

  @Test
  void aFixedWindowAllowsABurstAndStartsAfreshAtTheBoundary() {
    RateLimiter limiter = limiter(Kind.FIXED_WINDOW, 3, Duration.ZERO);
    assertThat(limiter.acquire(90 * MS)).isZero();
    assertThat(limiter.acquire(90 * MS)).isZero();
    assertThat(limiter.acquire(91 * MS)).isZero();
    assertThat(RateLimiter.retryAfterNanos(limiter.acquire(95 * MS))).isEqualTo(5 * MS);
    assertThat(limiter.acquire(100 * MS)).isZero();
  }

  @Test
  void aFixedWindowBanksNothingFromQuietPeriods() {
    RateLimiter limiter = limiter(Kind.FIXED_WINDOW, 2, Duration.ZERO);
    assertThat(limiter.acquire(1_000 * MS)).isZero();
    assertThat(limiter.acquire(1_000 * MS)).isZero();
    assertThat(RateLimiter.admitted(limiter.acquire(1_000 * MS))).isFalse();
  }

  @Test
  void aRollingWindowCountsThePeriodBeforeEachCall() {
    RateLimiter limiter = limiter(Kind.ROLLING_WINDOW, 2, Duration.ZERO);
    assertThat(limiter.acquire(90 * MS)).isZero();
    assertThat(limiter.acquire(95 * MS)).isZero();
    assertThat(RateLimiter.retryAfterNanos(limiter.acquire(105 * MS))).isEqualTo(85 * MS);
    assertThat(limiter.acquire(190 * MS)).isZero();
  }

  @Test
  void aCallMayWaitForItsTurnWithinTheMaxWait() {
    RateLimiter limiter = limiter(Kind.SMOOTH, 10, Duration.ofMillis(25));
    assertThat(limiter.acquire(0)).isZero();
    assertThat(limiter.acquire(0)).isEqualTo(10 * MS);
    assertThat(limiter.acquire(0)).isEqualTo(20 * MS);
    long refused = limiter.acquire(0);
    assertThat(RateLimiter.retryAfterNanos(refused)).isEqualTo(30 * MS);
    assertThat(limiter.refusal(refused))
        .hasMessage("rate limiter 'rl' is at its limit; retry after PT0.03S")
        .satisfies(e -> assertThat(e.retryAfterSeconds()).isEqualTo(1))
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }

  @Test
  void aCallCostingSeveralPermitsGetsThatShareOfThePeriod() {
    RateLimiterConfig config =
        RateLimiterConfig.builder().kind(Kind.FIXED_WINDOW).limit(10).permitsPerCall(3).build();
    assertThat(config.callsPerPeriod()).isEqualTo(3);
    RateLimiter limiter = new RateLimiter("rl", config, 0);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire(0)).isZero();
    }
    assertThat(RateLimiter.admitted(limiter.acquire(0))).isFalse();
  }

  /**
   * Racing callers at one frozen instant: exactly a period's calls get in, each with its own turn.
   */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void racingCallersNeverShareATurn(Kind kind) throws InterruptedException {
    int callers = 8;
    int each = 2_000;
    RateLimiter limiter =
        new RateLimiter(
            "rl",
            RateLimiterConfig.builder()
                .kind(kind)
                .limit(5_000)
                .period(Duration.ofSeconds(1))
                .maxWaitDuration(Duration.ofSeconds(2))
                .build(),
            0);
    List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < callers; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  long decision = limiter.acquire(MS);
                  if (RateLimiter.admitted(decision)) {
                    waits.add(decision);
                  }
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    List<Long> sorted = new ArrayList<>(waits);
    sorted.sort(null);
    switch (kind) {
      case SMOOTH -> {
        // One turn every 200 µs, up to the 2 s wait: 10,001 turns, each given once.
        assertThat(sorted).hasSize(10_001).doesNotHaveDuplicates();
        assertThat(sorted.get(10_000)).isEqualTo(2_000 * MS);
      }
      case FIXED_WINDOW, ROLLING_WINDOW -> {
        // A period's 5,000 now, and 5,000 at the start of each of the next two periods, the last
        // of them just within the 2 s wait (a fixed window's periods start at 1 s and 2 s since its
        // creation, 999 and 1,999 ms after the call; a rolling window's a whole period later); no
        // more.
        long next = kind == Kind.FIXED_WINDOW ? 999 * MS : 1_000 * MS;
        assertThat(sorted).hasSize(15_000);
        assertThat(sorted.subList(0, 5_000)).containsOnly(0L);
        assertThat(sorted.subList(5_000, 10_000)).containsOnly(next);
        assertThat(sorted.subList(10_000, 15_000)).containsOnly(next + 1_000 * MS);
      }
    }
  }

  @Test
  void badSettingsAreNamed() {
    assertThat(RateLimiterConfig.builder().build().limit()).isEqualTo(100);
    assertThatThrownBy(() -> RateLimiterConfig.builder().limit(0).build())
        .hasMessage("rateLimiter.limit must be at least 1, but was 0");
    assertThatThrownBy(() -> RateLimiterConfig.builder().limit(2).permitsPerCall(3).build())
        .hasMessage("rateLimiter.permitsPerCall must be at most 2, but was 3");
    assertThatThrownBy(
            () -> RateLimiterConfig.builder().limit(10).period(Duration.ofNanos(5)).build())
        .hasMessage(
            "rateLimiter.limit must allow at most one call a nanosecond of rateLimiter.period PT0.000000005S,"
                + " but was 10");
    assertThatThrownBy(
            () -> RateLimiterConfig.builder().kind(Kind.ROLLING_WINDOW).limit(100_000).build())
        .hasMessageStartingWith(
            "rateLimiter.limit must allow at most 65536 calls a period for ROLLING_WINDOW");
    assertThatThrownBy(
            () ->
                RateLimiterConfig.builder()
                    .limit(1)
                    .maxWaitDuration(Duration.ofSeconds(-1))
                    .build())
        .hasMessage(
            "rateLimiter.maxWaitDuration must be zero or a positive duration, but was PT-1S");
  }
}
