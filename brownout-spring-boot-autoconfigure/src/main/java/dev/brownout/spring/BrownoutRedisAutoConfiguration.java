package dev.brownout.spring;

import dev.brownout.degradation.Features;
import dev.brownout.degradation.redis.RedisSwitchSource;
import io.lettuce.core.RedisClient;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Switches shared by every instance of the service through Redis, when {@code degradation-redis} is
 * on the class path, the application has a Lettuce {@link RedisClient} bean and {@code
 * brownout.redis.uri} names the store. The source runs on the client's event loops ({@code
 * ClientResources}) rather than starting its own, and is added to the features after the switch
 * properties; it is closed with the runtime.
 */
@AutoConfiguration(after = BrownoutAutoConfiguration.class)
@ConditionalOnClass({RedisSwitchSource.class, RedisClient.class})
@ConditionalOnBean({Features.class, RedisClient.class})
@ConditionalOnProperty(name = "brownout.redis.uri")
public class BrownoutRedisAutoConfiguration {

  /** Created by Spring. */
  public BrownoutRedisAutoConfiguration() {}

  /**
   * Created even under lazy initialization (nothing injects it), and closed before the client it
   * runs on: it depends on that bean, so the context destroys it first.
   */
  @Bean(destroyMethod = "close")
  @Lazy(false)
  @ConditionalOnMissingBean
  RedisSwitchSource brownoutRedisSwitches(
      Features features, RedisClient client, Environment environment) {
    RedisSwitchSource source =
        RedisSwitchSource.builder(environment.getRequiredProperty("brownout.redis.uri"))
            .clientResources(client.getResources())
            .build();
    features.addSource(source);
    return source;
  }
}
