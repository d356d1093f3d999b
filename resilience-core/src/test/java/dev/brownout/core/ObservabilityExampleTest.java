package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example of {@code docs/incoming/core-metrics.md}, kept compiling and true. */
class ObservabilityExampleTest {

  /** Stands for the dependency of the example. */
  static final class Index {
    String query(String terms) {
      return "page for " + terms;
    }
  }

  private final Index index = new Index();

  @Test
  void theDocumentedExampleBindsARegistryAndScrapesTheGuardMeters() throws Exception {
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

    assertThat(page).isEqualTo("page for boots");
    assertThat(hiddenTimeouts).isZero();
    assertThat(text)
        .contains("brownout_calls_seconds_count{cause=\"none\",guard=\"search\",outcome=\"success\"} 1")
        .contains("brownout_latency_seconds_bucket{guard=\"search\",le=\"1.0E-4\"}")
        .contains("brownout_retry_calls_total{guard=\"search\",result=\"not_retried\"} 1");
    brownout.close();
  }
}
