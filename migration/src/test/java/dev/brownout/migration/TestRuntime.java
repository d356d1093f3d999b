package dev.brownout.migration;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime with a meter registry and features refreshed only by the test. */
final class TestRuntime implements AutoCloseable {

  private static final AtomicInteger NAMES = new AtomicInteger();

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Brownout brownout =
      Brownout.builder()
          .meterRegistry(registry)
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  final Features features = Features.of(brownout);

  /** A new feature of its own name, with {@code priority} and {@code setting}. */
  Feature feature(Priority priority, Switch setting) {
    return features
        .define("experiment.e" + NAMES.incrementAndGet())
        .priority(priority)
        .initially(setting)
        .register();
  }

  Feature feature() {
    return feature(Priority.P3, Switch.on());
  }

  @Override
  public void close() {
    brownout.close();
  }

  /** Collects the results an experiment publishes. */
  static final class Published<T> {
    final BlockingQueue<Result<T>> results = new LinkedBlockingQueue<>();

    void accept(Result<T> result) {
      results.add(result);
    }

    /** The next result, waited for; fails if none comes. */
    Result<T> next() throws InterruptedException {
      Result<T> result = results.poll(10, TimeUnit.SECONDS);
      if (result == null) {
        throw new AssertionError("no result was published within 10 s");
      }
      return result;
    }
  }
}
