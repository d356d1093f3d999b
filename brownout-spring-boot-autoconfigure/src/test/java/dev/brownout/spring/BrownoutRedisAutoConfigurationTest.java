package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.RedisServer;
import dev.brownout.degradation.redis.RedisSwitchSource;
import io.lettuce.core.RedisClient;
import java.time.Duration;
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
  void aSwitchSetOnOneInstanceReachesAnotherThroughRedis() {
    // skipped without redis-server, except under CI, which has it
    try (RedisServer redis = RedisServer.startOrSkip()) {
      ApplicationContextRunner instance =
          runner
              .withBean(
                  RedisClient.class, RedisClient::create, d -> d.setDestroyMethodName("shutdown"))
              .withPropertyValues(
                  "brownout.redis.uri=" + redis.uri(), "brownout.features.refresh=0");
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
    }
  }
}
