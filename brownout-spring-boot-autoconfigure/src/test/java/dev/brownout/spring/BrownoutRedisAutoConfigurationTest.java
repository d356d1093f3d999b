package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.RedisSwitchSource;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BrownoutRedisAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BrownoutAutoConfiguration.class, BrownoutRedisAutoConfiguration.class));

  @Test
  void noRedisSourceWithoutARedisClientBean() {
    runner
        .withPropertyValues("brownout.redis.uri=redis://127.0.0.1:1")
        .run(context -> assertThat(context).doesNotHaveBean(RedisSwitchSource.class));
  }

  @Test
  void noRedisSourceWithoutItsUri() {
    runner
        .withBean(RedisClient.class, RedisClient::create, d -> d.setDestroyMethodName("shutdown"))
        .run(context -> assertThat(context).doesNotHaveBean(RedisSwitchSource.class));
  }

  @Test
  void noRedisSourceWithoutDegradationRedisOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(RedisSwitchSource.class))
        .withBean(RedisClient.class, RedisClient::create, d -> d.setDestroyMethodName("shutdown"))
        .withPropertyValues("brownout.redis.uri=redis://127.0.0.1:1")
        .run(
            context -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisSwitchSource.class));
  }

  @Test
  void aSwitchSetOnOneInstanceReachesAnotherThroughRedis() throws Exception {
    int port = freePort();
    Process redis;
    try {
      redis =
          new ProcessBuilder(
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
      // As in degradation-redis: skipped without redis-server, except under CI, which has it.
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("redis-server must be on the PATH under CI", e);
      }
      Assumptions.abort("redis-server is not on the PATH: " + e.getMessage());
      return;
    }
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> answers(port));
      ApplicationContextRunner instance =
          runner
              .withBean(
                  RedisClient.class, RedisClient::create, d -> d.setDestroyMethodName("shutdown"))
              .withPropertyValues(
                  "brownout.redis.uri=redis://127.0.0.1:" + port, "brownout.features.refresh=0");
      instance.run(
          first ->
              instance.run(
                  second -> {
                    assertThat(first).hasSingleBean(RedisSwitchSource.class);
                    Features there = second.getBean(Features.class);
                    there.feature("shop.recommendations");

                    first
                        .getBean(Features.class)
                        .set("shop.recommendations", Switch.off("recommender is down"));

                    await()
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> !there.feature("shop.recommendations").isEnabled());
                  }));
    } finally {
      redis.destroy();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }
}
