package dev.brownout.spring;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * A {@link Brownout} runtime and its {@link Features} for a Spring Boot application.
 *
 * <ul>
 *   <li>The runtime reads guard settings ({@code brownout.guard.<guard>.<policy>.<attribute>},
 *       {@code brownout.defaults.<policy>.<attribute>}) from the Spring environment, and its meters
 *       go to the context's {@link MeterRegistry} when there is one. A key that cannot be a setting
 *       fails startup when the runtime is built; one that sets no guard fails it once the
 *       singletons are created ({@code brownout.config.check-on-startup=false} turns that off).
 *   <li>The features take their switches from {@code brownout.features.<feature>} properties,
 *       re-read by {@link BrownoutConfigRefresher}.
 *   <li>A bean whose type has a generated guarded class is replaced by that class wrapping it
 *       ({@code brownout.guarded-beans.enabled=false} turns that off).
 * </ul>
 *
 * <p>An application's own {@code Brownout} or {@code Features} bean replaces the one made here.
 */
@AutoConfiguration(
    afterName =
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({Brownout.class, Features.class})
@EnableConfigurationProperties(BrownoutProperties.class)
public class BrownoutAutoConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(BrownoutAutoConfiguration.class);

  /** Created by Spring. */
  public BrownoutAutoConfiguration() {}

  /**
   * The settings the runtime reads: the Spring environment, its process environment listed by
   * variable name.
   */
  @Bean
  @ConditionalOnMissingBean(name = "brownoutConfigSource")
  ConfigSource brownoutConfigSource(ConfigurableEnvironment environment) {
    return SpringConfigSource.of(environment);
  }

  /** The runtime, closed with the context (its executors drain, its timer stops). */
  @Bean
  @ConditionalOnMissingBean
  Brownout brownout(
      @Qualifier("brownoutConfigSource") ConfigSource brownoutConfigSource,
      ObjectProvider<MeterRegistry> registry) {
    Brownout.Builder builder = Brownout.builder().config(brownoutConfigSource);
    MeterRegistry meters = registry.getIfUnique();
    if (meters != null) {
      builder.meterRegistry(meters);
    }
    return builder.build();
  }

  @Bean
  PropertySwitchSource brownoutPropertySwitches(
      @Qualifier("brownoutConfigSource") ConfigSource brownoutConfigSource) {
    PropertySwitchSource source = new PropertySwitchSource(brownoutConfigSource);
    source.read(); // a value that is not a switch fails startup here, naming its key
    return source;
  }

  /**
   * The runtime's features, with the switches of the properties. Closed by the runtime, not here.
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  Features features(Brownout brownout, PropertySwitchSource brownoutPropertySwitches) {
    Features features = Features.of(brownout);
    features.addSource(brownoutPropertySwitches);
    return features;
  }

  @Bean
  @ConditionalOnMissingBean
  BrownoutConfigRefresher brownoutConfigRefresher(PropertySwitchSource brownoutPropertySwitches) {
    return new BrownoutConfigRefresher(brownoutPropertySwitches);
  }

  /** With Spring Cloud Context: its refresh applies changed switch properties by itself. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
  static class SwitchRefresh {

    @Bean
    SwitchRefreshListener brownoutSwitchRefresh(BrownoutConfigRefresher refresher) {
      return new SwitchRefreshListener(refresher);
    }
  }

  /**
   * Once every singleton is created, and so every guarded bean has built its guards: every guard
   * key must set a guard or class.
   */
  @Bean
  @ConditionalOnProperty(
      name = "brownout.config.check-on-startup",
      havingValue = "true",
      matchIfMissing = true)
  SmartInitializingSingleton brownoutConfigCheck(
      ObjectProvider<Brownout> brownout, ConfigurableListableBeanFactory beans) {
    return () -> {
      if (lazyInitialization(beans)) {
        // guarded beans are built on first use, so no guard exists yet to check a key against;
        // each guard still checks its own values when it is built
        LOG.warn(
            "brownout.config.check-on-startup: lazy initialization is on, so the"
                + " brownout.guard.* keys are not checked against the guards at startup (a key"
                + " that names no guard is not reported)");
        return;
      }
      brownout.ifAvailable(Brownout::checkConfig);
    };
  }

  /**
   * Whether beans are created on first use ({@code spring.main.lazy-initialization}, which marks
   * every bean definition lazy): the runtime's own definition says.
   */
  private static boolean lazyInitialization(ConfigurableListableBeanFactory beans) {
    for (String name : beans.getBeanNamesForType(Brownout.class, true, false)) {
      if (beans.containsBeanDefinition(name) && beans.getBeanDefinition(name).isLazyInit()) {
        return true;
      }
    }
    return false;
  }

  /** Static: a post-processor is created before the beans it processes, the runtime among them. */
  @Bean
  @ConditionalOnProperty(
      name = "brownout.guarded-beans.enabled",
      havingValue = "true",
      matchIfMissing = true)
  static GuardedBeans brownoutGuardedBeans(ObjectProvider<Brownout> brownout) {
    return new GuardedBeans(brownout);
  }
}
