package dev.brownout.degradation.redis;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A redis-server for one test class ({@code @RegisterExtension static final RedisFleet fleet = new
 * RedisFleet();}) and the instances each test starts on it, under a key prefix of the test's own;
 * the instances are closed after each test.
 */
public final class RedisFleet
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final List<Instance> instances = new ArrayList<>();
  private DirectRedis redis;
  private String prefix;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = DirectRedis.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    prefix = "test-" + UUID.randomUUID() + ":";
  }

  @Override
  public void afterEach(ExtensionContext context) {
    instances.forEach(Instance::close);
    instances.clear();
  }

  /** An instance under this test's key prefix. */
  public Instance instance(String id) {
    return instance(prefix, id);
  }

  /** An instance under {@code keyPrefix}. */
  public Instance instance(String keyPrefix, String id) {
    return add(new Instance(redis.server, keyPrefix, id));
  }

  /**
   * An instance under this test's key prefix that first retries after {@code firstRetry} when Redis
   * is lost.
   */
  public Instance instance(String id, Duration firstRetry) {
    return add(new Instance(redis.server, prefix, id, firstRetry));
  }

  private Instance add(Instance instance) {
    instances.add(instance);
    return instance;
  }

  /** This test's key prefix. */
  public String prefix() {
    return prefix;
  }

  /** The hash of the switches under this test's key prefix. */
  public String hash() {
    return prefix + "brownout:switches";
  }

  /** A plain client on the server, bypassing the sources under test. */
  public RedisCommands<String, String> redis() {
    return redis.sync();
  }

  /** The server, to snapshot, kill and restart. */
  public RedisServer server() {
    return redis.server;
  }
}
