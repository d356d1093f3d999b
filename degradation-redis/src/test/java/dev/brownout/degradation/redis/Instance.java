package dev.brownout.degradation.redis;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.testing.ManualTicker;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One service instance in a test: its own runtime and features on a hand-driven clock, and a Redis
 * source.
 */
public final class Instance implements AutoCloseable {

  /** Event loops shared by every instance of the test run, as one process would share them. */
  static final ClientResources RESOURCES =
      DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();

  public final String id;
  final String prefix;
  final ManualTicker ticker = new ManualTicker(Instant.ofEpochSecond(1));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Brownout brownout;
  public final Features features;
  final RedisSwitchSource source;

  public Instance(RedisServer server, String prefix, String id) {
    this(server, prefix, id, Duration.ofMillis(20));
  }

  /**
   * An instance whose source first retries after {@code firstRetry} (to 400 ms, or that if longer)
   * when Redis is lost.
   */
  public Instance(RedisServer server, String prefix, String id, Duration firstRetry) {
    this.id = id;
    this.prefix = prefix;
    this.brownout =
        Brownout.builder()
            .ticker(ticker)
            .meterRegistry(registry)
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build();
    this.features = Features.of(brownout);
    this.source =
        RedisSwitchSource.builder(server.uri())
            .keyPrefix(prefix)
            .instanceId(id)
            .timeout(Duration.ofSeconds(1))
            .retryBackoff(firstRetry, Collections.max(List.of(firstRetry, Duration.ofMillis(400))))
            .clientResources(RESOURCES)
            .build();
    features.addSource(source);
  }

  /** The switch in force here for {@code feature}. */
  public Switch setting(String feature) {
    return features.feature(feature).state().setting();
  }

  /** What the audit records as the source of {@code feature}'s switch here. */
  public String settingSource(String feature) {
    return features.feature(feature).state().source();
  }

  /** Failures of the Redis source counted so far. */
  public double errors() {
    FunctionCounter counter =
        registry.find("brownout.switch.source.errors").tag("source", "redis").functionCounter();
    return counter == null ? 0.0 : counter.count();
  }

  /** Moves this instance's clock on and runs the refresh that the refresh thread would run. */
  public void advance(Duration duration) {
    ticker.advance(duration);
    features.refresh();
  }

  /** Whether this instance's source is connected to Redis now. */
  public boolean connected() {
    return source.connected();
  }

  /** Changes set here that wait for Redis. */
  public Map<String, Switch> pending() {
    return source.pending();
  }

  @Override
  public void close() {
    brownout.close();
  }
}
