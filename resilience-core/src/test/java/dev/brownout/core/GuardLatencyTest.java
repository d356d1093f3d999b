package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a guard records latency: a guard that records it publishes a histogram that a real Prometheus
 * scrape shows bucket by bucket (so {@code histogram_quantile} works on it) and reports percentiles
 * of an interval; a guard that does not records nothing; per-key guards share their family's
 * histogram.
 */
class GuardLatencyTest {

  private static final List<Duration> DURATIONS =
      List.of(ms(2.5), ms(2.5), ms(2.5), ms(40), ms(40), ms(700));

  private final ManualTicker ticker = new ManualTicker();
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Brownout brownout =
      Brownout.builder().ticker(ticker).meterRegistry(prometheus).build();

  @AfterEach
  void close() {
    brownout.close();
    prometheus.close();
  }

  @Test
  void recordLatencyPublishesBucketsThatCountTheCallsMade() throws Exception {
    Guard guard = brownout.guard("search").recordLatency(true).build();
    for (Duration duration : DURATIONS) {
      guard.call(
          () -> {
            ticker.advance(duration);
            return "hit";
          });
    }

    String scrape = prometheus.scrape();
    Map<Double, Long> buckets = buckets(scrape, "search");

    assertThat(buckets)
        .as("bucket lines of brownout_latency_seconds in%n%s", scrape)
        .hasSizeGreaterThan(10);
    buckets.forEach(
        (le, count) ->
            assertThat(count)
                .as("le=%s", le)
                .isEqualTo(DURATIONS.stream().filter(d -> seconds(d) <= le).count()));
    assertThat(buckets).containsEntry(Double.POSITIVE_INFINITY, 6L);
    assertThat(scrape)
        .contains("brownout_latency_seconds_count{guard=\"search\"} 6")
        .contains("brownout_latency_seconds_sum{guard=\"search\"} 0.7875");
  }

  @Test
  void aGuardThatDoesNotRecordLatencyPublishesNoHistogram() throws Exception {
    brownout.guard("plain").build().call(() -> "ok");

    assertThat(prometheus.scrape()).doesNotContain("brownout_latency");
  }

  @Test
  void perKeyGuardsShareOneHistogramUnderTheirFamily() throws Exception {
    KeyedGuards<String> perTenant =
        brownout.keyedGuards("tenant-api", 10, Duration.ofMinutes(1), g -> g.recordLatency(true));
    for (String tenant : List.of("acme", "globex")) {
      perTenant
          .get(tenant)
          .call(
              () -> {
                ticker.advance(ms(2.5));
                return tenant;
              });
    }

    assertThat(buckets(prometheus.scrape(), "tenant-api"))
        .containsEntry(Double.POSITIVE_INFINITY, 2L);
    assertThat(perTenant.get("acme").latency().count()).isEqualTo(2);
    assertThat(prometheus.scrape()).doesNotContain("acme");
  }

  @Test
  void aGuardThatRecordsLatencyReportsTheP95OfAnInterval() throws Exception {
    Guard guard = brownout.guard("timed").recordLatency(true).build();
    for (int i = 0; i < 100; i++) {
      guard.call(
          () -> {
            ticker.advance(Duration.ofMillis(10));
            return null;
          });
    }
    LatencySnapshot before = guard.latency();
    for (int i = 0; i < 100; i++) {
      long millis = i < 90 ? 20 : 500;
      guard.call(
          () -> {
            ticker.advance(Duration.ofMillis(millis));
            return null;
          });
    }

    LatencySnapshot interval = guard.latency().minus(before);

    assertThat(interval.count()).isEqualTo(100);
    assertThat(interval.percentile(0.5)).isBetween(Duration.ofMillis(20), Duration.ofMillis(23));
    assertThat(interval.percentile(0.95)).isBetween(Duration.ofMillis(500), Duration.ofMillis(563));
  }

  @Test
  void aGuardThatDoesNotRecordLatencyHasAnEmptySnapshot() throws Exception {
    Guard guard = brownout.guard("untimed").build();
    guard.call(() -> 1);

    assertThat(guard.latency().count()).isZero();
    assertThat(guard.latency().percentile(0.99)).isEqualTo(Duration.ZERO);
  }

  /** The cumulative count of each {@code le} bucket of the guard's latency histogram. */
  private static Map<Double, Long> buckets(String scrape, String guard) {
    Pattern line =
        Pattern.compile(
            "^brownout_latency_seconds_bucket\\{guard=\""
                + Pattern.quote(guard)
                + "\",le=\"([^\"]+)\"} (\\d+)$",
            Pattern.MULTILINE);
    Map<Double, Long> buckets = new LinkedHashMap<>();
    Matcher matcher = line.matcher(scrape);
    while (matcher.find()) {
      double le =
          matcher.group(1).equals("+Inf")
              ? Double.POSITIVE_INFINITY
              : Double.parseDouble(matcher.group(1));
      buckets.put(le, Long.parseLong(matcher.group(2)));
    }
    return buckets;
  }

  private static Duration ms(double millis) {
    return Duration.ofNanos((long) (millis * 1_000_000));
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
