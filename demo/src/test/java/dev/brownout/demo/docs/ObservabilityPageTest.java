package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.BrownoutListener;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallCounts;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Guard;
import dev.brownout.core.LatencySnapshot;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.executor.LeakDetector;
import dev.brownout.degradation.DegradationStrategy;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Switch;
import dev.brownout.recover.Recover;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/observability.md, run; and its meter table checked against the real meters. */
class ObservabilityPageTest {

  /** Collects alerts, as a pager would. */
  static final class Alerts {
    final List<String> sent = new ArrayList<>();

    synchronized void notify(String alert) {
      sent.add(alert);
    }
  }

  @Test
  void aListenerSeesEveryTransition() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Alerts alerts = new Alerts();
    // docs:begin
    Brownout brownout = Brownout.builder()
        .meterRegistry(registry)
        .listener(new BrownoutListener() {
          @Override public void onStateTransition(CircuitBreaker b, CircuitBreaker.State from, CircuitBreaker.State to) {
            alerts.notify(b.name() + " " + from + " -> " + to);
          }
        })
        .build();
    // docs:end
    try (brownout) {
      brownout.circuitBreaker("payments").forceOpen();
      assertThat(alerts.sent).containsExactly("payments CLOSED -> FORCED_OPEN");
    }
  }

  @Test
  void latencyAndCounts() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard = brownout.guard("timed").recordLatency(true).build();
      // docs:begin
      LatencySnapshot before = guard.latency();
      // ... ten seconds later
      Duration p95 = guard.latency().minus(before).percentile(0.95);
      CallCounts calls = guard.counts();   // cumulative counts by outcome; minus() for an interval
      // docs:end
      assertThat(p95).isEqualTo(Duration.ZERO);
      assertThat(calls.total()).isZero();
      guard.call(() -> "done");
      assertThat(guard.counts().minus(calls).success()).isEqualTo(1);
      assertThat(guard.latency().minus(before).count()).isEqualTo(1);
    }
  }

  @Test
  void everyMeterIsInThePagesTableAndEveryRowIsAMeter(@TempDir Path dir) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    Path switches = dir.resolve("features.properties");
    Files.writeString(switches, "not a switch line\n", StandardCharsets.UTF_8);
    try (Brownout brownout = Brownout.builder()
        .meterRegistry(registry)
        .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test settings"))
        .build()) {
      Guard guard = brownout.guard("shown")
          .circuitBreaker(CircuitBreakerConfig.ofDefaults())
          .bulkhead(BulkheadConfig.ofDefaults())
          .build();
      brownout.circuitBreaker("shown").forceOpen();
      guard.get(() -> "never", dev.brownout.core.Fallback.value("fallback"));
      BoundedExecutor executor = brownout.executor("shown", ExecutorConfig.builder().maxRunning(1).maxQueued(1).build());
      executor.submit("task", () -> 1).get(10, TimeUnit.SECONDS);
      LeakDetector leaks = LeakDetector.builder().build();
      brownout.bindMeters(leaks);
      leaks.track(new ByteArrayInputStream(new byte[0]), "stream");   // dropped without close: a leak
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        System.gc();
        return leaks.leaks() > 0;
      });
      Features features = Features.of(brownout);
      Feature feature = features.define("shown.feature").register();
      Guard degraded = brownout.guard("degraded").admission(feature.degradeTo(DegradationStrategy.value("substitute"))).build();
      features.set("shown.feature", Switch.off("test"));
      degraded.call(() -> "live");
      features.addSource(FileSwitchSource.of(switches));
      features.refresh();
      Recover.of(brownout).recover("place", new IOException("crash"));

      Set<String> meters = new TreeSet<>();
      for (Meter meter : registry.getMeters()) {
        String name = meter.getId().getName();
        meters.add(name.startsWith("brownout.") ? name : name.substring(0, name.indexOf('.') + 1) + "*");
      }
      assertThat(meters).containsExactlyInAnyOrderElementsOf(tableMeters());
    }
  }

  /** The meter names of the page's table, in its first column. */
  private static Set<String> tableMeters() {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z.*]+)`").matcher(Snippets.read(Snippets.ROOT.resolve("docs/observability.md")));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
