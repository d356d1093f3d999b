package dev.brownout.degradation;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runtime whose time moves only when a test says, with the features' refresh left to the test.
 */
final class TestRuntime implements AutoCloseable {

  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Brownout brownout;
  final Features features;

  TestRuntime() {
    this(Map.of());
  }

  TestRuntime(Map<String, String> settings) {
    Map<String, String> config = new java.util.HashMap<>(settings);
    config.putIfAbsent(Features.REFRESH_KEY, "0");
    brownout =
        Brownout.builder()
            .ticker(nanos::get)
            .meterRegistry(registry)
            .config(ConfigSource.of(config, "test"))
            .build();
    features = Features.of(brownout);
  }

  /** Moves time on and runs the refresh that the refresh thread would run. */
  void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
    features.refresh();
  }

  @Override
  public void close() {
    brownout.close();
  }
}
