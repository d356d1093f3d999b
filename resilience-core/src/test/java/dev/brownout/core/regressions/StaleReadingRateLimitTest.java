package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18, finding 2: a caller whose clock reading was taken just before another caller moved the
 * rate limiter on (preempted between its reading and its decision, or reading a clock a little
 * behind another core's) looked early and was refused although the rate had room: under two threads
 * at a billionth of the limit, the benchmark's calls were refused at every period boundary
 * (FIXED_WINDOW) and whenever two calls met (SMOOTH). A refusal is now decided on a fresh reading.
 */
class StaleReadingRateLimitTest {

  private final AtomicLong now = new AtomicLong();
  private final AtomicLong staleOnce = new AtomicLong(-1);

  @ParameterizedTest
  @EnumSource(RateLimiterConfig.Kind.class)
  void aStaleReadingIsNotRefusedWhenTheRateHasRoom(RateLimiterConfig.Kind kind) throws Exception {
    try (Brownout brownout =
        Brownout.builder()
            .ticker(
                () -> {
                  long stale = staleOnce.getAndSet(-1);
                  return stale >= 0 ? stale : now.get();
                })
            .build()) {
      Guard guard =
          brownout
              .guard("stale")
              .rateLimiter(
                  RateLimiterConfig.builder()
                      .kind(kind)
                      .limit(2)
                      .period(Duration.ofSeconds(1))
                      .build())
              .build();
      now.set(Duration.ofSeconds(10).toNanos());
      assertThat(guard.call(() -> "first")).isEqualTo("first");

      // The second caller read the clock 100 µs before the first caller's reading.
      staleOnce.set(now.get() - Duration.ofNanos(100_000).toNanos());
      now.addAndGet(Duration.ofMillis(600).toNanos()); // by the time it decides, there is room

      assertThat(guard.call(() -> "second")).isEqualTo("second");
    }
  }
}
