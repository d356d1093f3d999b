package dev.brownout.degradation.redis.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.RedisSwitchSource;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Issue 15, finding 8, on the Redis side: CR/LF in the instance id of a record, or in a malformed
 * value, forged log lines. Every text from Redis (instance ids, values, switch reasons) and every
 * source name reaches the log neutralised.
 */
class ForgedRedisLogLinesTest {

  private static final String HOSTILE = "\r\nFORGED\u001b[2J\u0085FORGED\u2028FORGED\u202eFORGED";

  private static void assertNeutral(String log) {
    assertThat(log).isNotEmpty();
    assertThat(log.lines()).noneMatch(line -> line.startsWith("FORGED"));
    assertThat(
            log.chars()
                .filter(
                    c ->
                        c != '\n'
                            && c != '\t'
                            && (Character.isISOControl(c)
                                || c == 0x2028
                                || c == 0x2029
                                || (c >= 0x202a && c <= 0x202e))))
        .as("control, separator and direction characters in %s", log)
        .isEmpty();
  }

  /**
   * What slf4j-simple wrote to {@code System.err} (looked up on every event) while {@code action}
   * ran.
   */
  private static synchronized String logOf(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      action.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void recordsAndNamesFromRedisCannotForgeALine() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String uri = "redis://127.0.0.1:" + port;
    Process server = startRedis(port);
    RedisClient direct = RedisClient.create(uri);
    try (Brownout brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build()) {
      StatefulRedisConnection<String, String> redis =
          await()
              .atMost(Duration.ofSeconds(20))
              .ignoreExceptions()
              .until(direct::connect, connection -> connection != null);
      redis
          .sync()
          .hset(
              "brownout:switches",
              "feed",
              "3 evil" + HOSTILE + " OFF reason=down" + HOSTILE.strip());
      redis.sync().hset("brownout:switches", "bad", "4 ops MAYBE" + HOSTILE);
      Features features = Features.of(brownout);
      RedisSwitchSource source =
          RedisSwitchSource.builder(uri)
              .name("redis" + HOSTILE)
              .timeout(Duration.ofSeconds(1))
              .build();

      String started = logOf(() -> features.addSource(source));
      server.destroyForcibly().waitFor();
      String unreachable =
          logOf(
              () -> {
                features.set("other", Switch.off("down\u0085FORGED\u2028FORGED"));
                source.close();
              });

      assertThat(features.feature("feed").isEnabled()).isFalse();
      assertNeutral(started);
      assertThat(started).contains("evil\\r\\nFORGED", "MAYBE\\r\\nFORGED");
      assertNeutral(unreachable);
      redis.close();
    } finally {
      direct.shutdown();
      server.destroyForcibly().waitFor();
    }
  }

  /**
   * A redis-server on {@code port}; without one on the PATH the test is skipped, as this module's
   * tests are, except under CI.
   */
  private static Process startRedis(int port) {
    try {
      return new ProcessBuilder(
              "redis-server",
              "--port",
              String.valueOf(port),
              "--bind",
              "127.0.0.1",
              "--save",
              "",
              "--appendonly",
              "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("redis-server must be on the PATH under CI", e);
      }
      throw new TestAbortedException("redis-server is not on the PATH", e);
    }
  }
}
