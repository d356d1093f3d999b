package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.BrownoutListener;
import dev.brownout.core.Guard;
import dev.brownout.core.RateLimitedException;
import dev.brownout.core.RateLimiterConfig;
import dev.brownout.core.RejectedCallException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, finding 1: a guard told its listeners about its breaker's, bulkhead's and executor's
 * rejections but not its rate limiter's refusals (each refusal is a new exception carrying its own
 * retry time, and the guard recognised its own rejections by identity). A refusal now reaches
 * {@link BrownoutListener#onRejected} once, from the guard whose rate limiter refused, on every
 * path; a nested guard's refusal passing through an outer guard is reported by the nested guard
 * only.
 */
class RateLimitRefusalReachesListenersTest {

  private final List<String> rejections = new CopyOnWriteArrayList<>();
  private final Brownout brownout =
      Brownout.builder()
          .listener(
              new BrownoutListener() {
                @Override
                public void onRejected(String guard, RejectedCallException rejection) {
                  rejections.add(guard + ":" + rejection.getClass().getSimpleName());
                }
              })
          .build();
  private final RateLimiterConfig onePerHour =
      RateLimiterConfig.builder().limit(1).period(Duration.ofHours(1)).build();

  @Test
  void aRefusalReachesTheListenersOnEveryPath() throws Exception {
    Guard guard = brownout.guard("limited").rateLimiter(onePerHour).build();
    guard.call(() -> "first");

    assertThatThrownBy(() -> guard.call(() -> "second")).isInstanceOf(RateLimitedException.class);
    assertThatThrownBy(() -> guard.callAsync(() -> null).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RateLimitedException.class);

    assertThat(rejections)
        .containsExactly("limited:RateLimitedException", "limited:RateLimitedException");
    brownout.close();
  }

  @Test
  void aNestedRefusalIsReportedByTheNestedGuardOnly() throws Exception {
    Guard inner = brownout.guard("inner").rateLimiter(onePerHour).build();
    Guard outer = brownout.guard("outer").rateLimiter(RateLimiterConfig.perSecond(1000)).build();
    inner.call(() -> "first");

    assertThatThrownBy(() -> outer.call(() -> inner.call(() -> "second")))
        .isInstanceOf(RateLimitedException.class);

    assertThat(rejections).containsExactly("inner:RateLimitedException");
    brownout.close();
  }
}
