package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeakDetectorTest {

  private final Map<String, Throwable> reported = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LeakDetector detector(double captureRate) {
    LeakDetector detector =
        LeakDetector.builder()
            .captureRate(captureRate)
            .reporter(
                (name, site) -> reported.put(name, site == null ? new Throwable("no site") : site))
            .build();
    detector.bindTo(registry);
    return detector;
  }

  /**
   * A resource of its own (a non-capturing lambda would be one shared constant, never collected).
   */
  private static final class Body implements AutoCloseable {
    @Override
    public void close() {}
  }

  /** Opens a resource and drops its handle unclosed; nothing outside this frame refers to it. */
  private static void openAndForget(LeakDetector detector, String name) {
    detector.track(new Body(), name);
  }

  private static void openAndClose(LeakDetector detector, String name) {
    try (LeakDetector.Tracked<Body> handle = detector.track(new Body(), name)) {
      assertThat(handle.resource()).isNotNull();
    }
  }

  private static void collectUntil(java.util.concurrent.Callable<Boolean> reported) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              System.gc();
              return reported.call();
            });
  }

  @Test
  void anUnclosedResourceIsReportedAfterCollectionWithWhereItWasOpened() {
    LeakDetector detector = detector(1.0);
    openAndForget(detector, "http-body");
    collectUntil(() -> detector.leaks("http-body") == 1);

    assertThat(
            Arrays.stream(reported.get("http-body").getStackTrace())
                .map(StackTraceElement::getMethodName))
        .contains("openAndForget");
    assertThat(
            registry.get("brownout.leaks").tag("resource", "http-body").functionCounter().count())
        .isEqualTo(1);
  }

  @Test
  void aClosedResourceIsNeverReported() {
    LeakDetector detector = detector(0.0);
    openAndClose(detector, "closed");
    openAndForget(detector, "sentinel");
    // Once the sentinel, dropped after the closed one, has been reported, the closed one has been
    // unreachable through at least as many collections.
    collectUntil(() -> detector.leaks("sentinel") == 1);
    assertThat(detector.leaks("closed")).isZero();
    assertThat(detector.leaks()).isEqualTo(1);
    assertThat(reported.get("sentinel")).hasMessage("no site");
  }

  @Test
  void closingTheHandleClosesTheResourceOnce() {
    AtomicInteger closes = new AtomicInteger();
    LeakDetector.Tracked<AutoCloseable> handle =
        detector(0.0).track(closes::incrementAndGet, "counted");
    handle.close();
    handle.close();
    assertThat(closes).hasValue(1);
  }
}
