package dev.brownout.degradation.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;

/**
 * A redis-server for one test class, with a plain client of its own to read and write what the
 * sources under test see, bypassing them.
 */
public final class DirectRedis implements AutoCloseable {

  public final RedisServer server;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private DirectRedis(RedisServer server) {
    this.server = server;
    this.client = RedisClient.create(Instance.RESOURCES, server.uri());
    this.connection = client.connect();
  }

  /** Starts a server, or skips the test where {@link RedisServer#startOrSkip} says so. */
  public static DirectRedis start() {
    return new DirectRedis(RedisServer.startOrSkip());
  }

  /**
   * A server for a container of properties, or null where {@link RedisServer#skipReason} skips
   * them.
   */
  static DirectRedis startUnlessSkipped() {
    return RedisServer.skipReason().isPresent() ? null : start();
  }

  /** Closes {@code redis}, if it was started. */
  static void closeIfStarted(DirectRedis redis) {
    if (redis != null) {
      redis.close();
    }
  }

  public RedisCommands<String, String> sync() {
    return connection.sync();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    server.close();
  }
}
