package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.executor.LeakDetector;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 18: {@link LeakDetector} watched the resource, so a handle dropped unclosed on
 * a pooled resource (still referenced by its pool) was never reported. It now watches the handle: a
 * handle that becomes unreachable unclosed is reported, whatever else still refers to the resource,
 * and a closed handle never is.
 */
class LeakDetectorHandlesTest {

  /** A pooled connection: the pool keeps every one, lent or not. */
  private static final class Connection implements AutoCloseable {
    @Override
    public void close() {}
  }

  private final List<Connection> pool =
      new ArrayList<>(List.of(new Connection(), new Connection()));

  /** Lends a pooled connection through a handle and drops the handle without closing it. */
  private static void borrowAndForget(LeakDetector leaks, Connection pooled, String name) {
    leaks.track(pooled, name);
  }

  private static void borrowAndClose(LeakDetector leaks, Connection pooled, String name) {
    try (LeakDetector.Tracked<Connection> handle = leaks.track(pooled, name)) {
      assertThat(handle.resource()).isSameAs(pooled);
    }
  }

  private static void collectUntil(Callable<Boolean> done) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              return done.call();
            });
  }

  @Test
  void aDroppedHandleOnAPooledResourceIsReportedWhileThePoolStillHoldsIt() {
    LeakDetector leaks = LeakDetector.builder().captureRate(0).build();

    try {
      borrowAndClose(leaks, pool.get(0), "returned");
      borrowAndForget(leaks, pool.get(1), "dropped");

      collectUntil(() -> leaks.leaks("dropped") == 1);
      assertThat(leaks.leaks("returned")).isZero();
      assertThat(leaks.leaks()).isEqualTo(1);
    } finally {
      Reference.reachabilityFence(pool);
    }
  }
}
