package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.BrownoutListener;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallCounts;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.LatencySnapshot;
import dev.brownout.core.RetryConfig;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.executor.LeakDetector;
import dev.brownout.degradation.DegradationStrategy;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Switch;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.Shift;
import dev.brownout.recover.Recover;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import java.util.TreeMap;
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
      guard.get(() -> "never", Fallback.value("fallback"));
      Guard retried = brownout.guard("retried").retry(RetryConfig.builder().waitDuration(Duration.ofMillis(1)).build())
          .recordLatency(true).build();
      int[] attempts = {0};
      retried.call(() -> ++attempts[0] < 2 ? fail() : "second attempt");
      assertThatThrownBy(() -> retried.call(() -> fail())).isInstanceOf(IOException.class);
      BoundedExecutor executor = brownout.executor("shown", ExecutorConfig.builder().maxRunning(1).maxQueued(1).build());
      executor.submit("task", () -> 1).get(10, TimeUnit.SECONDS);
      brownout.limiter("shown").onSuccess(brownout.limiter("shown").tryAcquire());
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
      Experiment<Integer> experiment = Experiment.<Integer>builder(brownout, features.define("shown.experiment").register())
          .onCallerThread()
          .compare((control, candidate) -> {
            throw new IllegalStateException("a compare hook that throws");
          })
          .build();
      experiment.run(() -> 1, () -> 2);
      Shift.<Integer>builder("shown", brownout, features).build().call(1L, () -> 1, () -> 2);
      features.addSource(FileSwitchSource.of(switches));
      features.refresh();
      Recover.of(brownout).recover("place", new IOException("crash"));

      Map<String, Set<String>> table = tableMeters();
      Set<String> meters = new TreeSet<>();
      Set<String> outcomeCauses = new TreeSet<>();
      for (Meter meter : registry.getMeters()) {
        String name = meter.getId().getName();
        if (!name.startsWith("brownout.")) {
          meters.add(name.substring(0, name.indexOf('.') + 1) + "*");
          continue;
        }
        meters.add(name);
        Set<String> tags = new TreeSet<>();
        meter.getId().getTags().forEach(tag -> tags.add(tag.getKey()));
        assertThat(tags).as("the tags of %s", name).isEqualTo(table.get(name));
        if (name.equals("brownout.calls")) {
          outcomeCauses.add(meter.getId().getTag("outcome") + " " + meter.getId().getTag("cause"));
        }
      }
      assertThat(meters).containsExactlyInAnyOrderElementsOf(table.keySet());
      assertThat(outcomeCauses).contains("success none", "fallback breaker_open", "degraded degraded", "failure failure")
          .isSubsetOf(outcomeCauseTable());
      assertThat(registry.get("brownout.retry.calls").tag("guard", "retried").tag("result", "succeeded_after_retry")
          .functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("brownout.retry.retries").tag("guard", "retried").functionCounter().count()).isEqualTo(3);
      assertThat(registry.get("brownout.latency").tag("guard", "retried").timer().count()).isEqualTo(5);
    }
  }

  private static String fail() throws IOException {
    throw new IOException("down");
  }

  /** The meters of the page's first table, by name, with the tags of its third column. */
  private static Map<String, Set<String>> tableMeters() {
    Map<String, Set<String>> meters = new TreeMap<>();
    for (String row : rowsOfTableAfter("| meter | type | tags | what |")) {
      String[] cells = row.split(" \\| ", -1);
      Set<String> tags = new TreeSet<>();
      Matcher tag = Pattern.compile("`([a-z]+)`").matcher(cells[2]);
      while (tag.find()) {
        tags.add(tag.group(1));
      }
      meters.put(cells[0].replace("| ", "").replace("`", "").replaceAll(" \\(.*", ""), tags);
    }
    return meters;
  }

  /** Each "outcome cause" pair of the page's outcome and cause table. */
  private static Set<String> outcomeCauseTable() {
    Set<String> pairs = new TreeSet<>();
    for (String row : rowsOfTableAfter("| `outcome` | `cause` | the call |")) {
      String[] cells = row.split(" \\| ", -1);
      String outcome = cells[0].replace("| ", "").replace("`", "");
      for (String cause : cells[1].replace("`", "").split(", ", -1)) {
        pairs.add(outcome + " " + cause);
      }
    }
    return pairs;
  }

  private static List<String> rowsOfTableAfter(String header) {
    List<String> lines = Snippets.read(Snippets.ROOT.resolve("docs/observability.md")).lines().toList();
    int start = lines.indexOf(header);
    assertThat(start).as("docs/observability.md has the table %s", header).isNotNegative();
    List<String> rows = new ArrayList<>();
    for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      rows.add(lines.get(i));
    }
    return rows;
  }

  /** Stands for the dependency of the Prometheus example. */
  static final class Index {
    String query(String terms) {
      return "page for " + terms;
    }
  }

  @Test
  void thePrometheusExampleScrapesTheGuardMeters() throws Exception {
    Index index = new Index();
    // docs:begin
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Optional: finer buckets for fast dependencies; before the runtime binds the registry.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().equals("brownout.latency")) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .minimumExpectedValue((double) TimeUnit.MICROSECONDS.toNanos(100))
            .build()
            .merge(config);
      }
    });

    Brownout brownout = Brownout.builder().meterRegistry(registry).build();
    Guard search = brownout.guard("search")
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .timeout(Duration.ofMillis(300))
        .retry(RetryConfig.ofDefaults())
        .recordLatency(true)
        .build();

    String page = search.call(() -> index.query("boots"), Fallback.value("cached page"));

    CallCounts counts = search.counts();     // the same counts, for controllers and admin pages
    long hiddenTimeouts = counts.fallbackAfterTimeout();
    String text = registry.scrape();         // serve it at /metrics
    // docs:end
    try (brownout) {
      assertThat(page).isEqualTo("page for boots");
      assertThat(hiddenTimeouts).isZero();
      assertThat(text).contains(Snippets.firstBlock("docs/observability.md", "text").lines().toList());
      assertThat(text).contains("brownout_latency_seconds_bucket{guard=\"search\",le=\"1.0E-4\"}");   // the finer bucket
    }
  }
}
