package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.RateLimitedException;
import dev.brownout.core.RateLimiterConfig;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a SMOOTH limiter with no wait spaced calls to the nanosecond, so a caller that arrived
 * less than one spacing after another was refused although, on the clock the limiter reads (which
 * ticks each millisecond), the two had arrived together: two benchmark threads saw refusals at a
 * billion calls a second. A turn at most one tick ahead now starts at once.
 */
class SmoothLimiterCallersTogetherTest {

  @Test
  void twoCallersInOneTickAreBothAdmittedAtAThousandASecond() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard warm = brownout.guard("warm").rateLimiter(RateLimiterConfig.perSecond(1_000)).build();
      for (int i = 0; i < 100; i++) {
        try {
          warm.call(() -> 1); // loads and compiles the path, so the calls below are quick
        } catch (RateLimitedException expected) {
          // the warm-up runs over the rate
        }
      }
      Guard guard =
          brownout.guard("smooth").rateLimiter(RateLimiterConfig.perSecond(1_000)).build();
      int first = guard.call(() -> 1);
      int second = guard.call(() -> 2); // a microsecond later, within the clock's tick
      assertThat(first).isEqualTo(1);
      assertThat(second).isEqualTo(2);
    }
  }
}
