package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.spring.sample.Catalog;
import dev.brownout.spring.sample.DefaultPriceService;
import dev.brownout.spring.sample.PriceService;
import dev.brownout.spring.sample.StockService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

class BrownoutAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(BrownoutAutoConfiguration.class));

  @Test
  void createsTheRuntimeAndItsFeatures() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(Brownout.class).hasSingleBean(Features.class);
          assertThat(context.getBean(Features.class))
              .isSameAs(Features.of(context.getBean(Brownout.class)));
        });
  }

  @Test
  void createsNothingWithoutTheRuntimeOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(Brownout.class))
        .run(context -> assertThat(context).doesNotHaveBean(Brownout.class));
  }

  @Test
  void createsNothingWithoutDegradationOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(Features.class))
        .run(context -> assertThat(context).doesNotHaveBean(Brownout.class));
  }

  @Test
  void anApplicationsOwnRuntimeReplacesTheAutoConfiguredOne() {
    runner
        .withBean("myBrownout", Brownout.class, () -> Brownout.builder().build())
        .run(context -> assertThat(context).hasSingleBean(Brownout.class).hasBean("myBrownout"));
  }

  @Test
  void bindsMetersToTheContextsRegistry() {
    runner
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            context -> {
              context.getBean(Features.class);
              assertThat(context.getBean(MeterRegistry.class).find("brownout.level").gauge())
                  .isNotNull();
            });
  }

  @Test
  void aKeyThatCannotBeASettingFailsStartupNamingTheKeyAndValue() {
    runner
        .withPropertyValues("brownout.guard.PriceService.price.timeout.duratoin=2s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("brownout.guard.PriceService.price.timeout.duratoin = 2s")
                    .hasMessageContaining("brownout.guard.PriceService.price.timeout.duration"));
  }

  @Test
  void aKeyThatSetsNoGuardFailsStartupOnceTheSingletonsAreCreated() {
    runner
        .withPropertyValues("brownout.guard.Missing.lookup.timeout.duration=2s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasMessageContaining("brownout.guard.Missing.lookup.timeout.duration = 2s")
                    .hasMessageContaining("sets no guard or class built so far"));
  }

  @Test
  void theStartupCheckOfGuardKeysCanBeTurnedOff() {
    runner
        .withPropertyValues(
            "brownout.guard.Missing.lookup.timeout.duration=2s",
            "brownout.config.check-on-startup=false")
        .run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void aKeyOfAGuardedBeanPassesTheStartupCheckAndConfiguresItsGuard() {
    runner
        .withUserConfiguration(PriceConfiguration.class)
        .withPropertyValues("brownout.guard.PriceService.price.timeout.duration=750ms")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(Brownout.class).findGuard("PriceService.price"))
                  .isPresent();
            });
  }

  @Test
  void aBadValueOfAGuardedBeansKeyFailsStartupNamingTheKey() {
    runner
        .withUserConfiguration(PriceConfiguration.class)
        .withPropertyValues("brownout.guard.PriceService.price.timeout.duration=soon")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("brownout.guard.PriceService.price.timeout.duration")
                    .hasStackTraceContaining("soon"));
  }

  @Test
  void switchesComeFromProperties() {
    runner
        .withPropertyValues(
            "brownout.features.feed.recommendations=OFF reason=store is down",
            "brownout.features.feed.avatars=ROLLOUT 25%",
            "brownout.features.refresh=0")
        .run(
            context -> {
              Features features = context.getBean(Features.class);
              assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();
              assertThat(features.feature("feed.recommendations").state().setting())
                  .isEqualTo(Switch.off("store is down"));
              assertThat(features.feature("feed.avatars").state().setting())
                  .isEqualTo(Switch.rollout(25));
              assertThat(features.find("refresh")).isNull();
            });
  }

  @Test
  void theFeaturesOwnSettingsAreNotSwitchesWhateverTheirCase() {
    PropertySwitchSource source =
        new PropertySwitchSource(
            ConfigSource.of(Map.of("brownout.features.sourcetimeout", "5s"), "test")
                .or(ConfigSource.environment(Map.of("BROWNOUT_FEATURES_HISTORY", "50"), "env")));

    assertThat(source.read()).isEmpty();
  }

  @Test
  void aValueThatIsNotASwitchFailsStartupNamingTheKey() {
    runner
        .withPropertyValues("brownout.features.feed.recommendations=DIMMED")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("brownout.features.feed.recommendations = DIMMED"));
  }

  /** Changes the context's environment after startup, as a refreshed property source does. */
  private static void change(ConfigurableApplicationContext context, Map<String, Object> changed) {
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("changed", changed));
  }

  @Test
  void theRefresherAppliesSwitchPropertiesThatChanged() {
    runner
        .withPropertyValues("brownout.features.feed.recommendations=OFF reason=store is down")
        .run(
            context -> {
              change(
                  context,
                  Map.of(
                      "brownout.features.feed.recommendations", "ON",
                      "brownout.features.feed.avatars", "OFF reason=slow"));
              context.getBean(BrownoutConfigRefresher.class).refreshSwitches();
              Features features = context.getBean(Features.class);
              assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();
              assertThat(features.feature("feed.avatars").isEnabled()).isFalse();
            });
  }

  @Test
  void springCloudsEnvironmentChangeAppliesChangedSwitchesByItself() {
    runner
        .withPropertyValues("brownout.features.feed.recommendations=OFF reason=store is down")
        .run(
            context -> {
              change(context, Map.of("brownout.features.feed.recommendations", "ON"));
              Features features = context.getBean(Features.class);
              context.publishEvent(
                  new EnvironmentChangeEvent(context, Set.of("spring.application.name")));
              assertThat(features.feature("feed.recommendations").isEnabled())
                  .as("no switch key changed: nothing is read again")
                  .isFalse();

              context.publishEvent(
                  new EnvironmentChangeEvent(
                      context, Set.of("brownout.features.feed.recommendations")));

              assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();
            });
    runner
        .withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
        .run(context -> assertThat(context).doesNotHaveBean(SwitchRefreshListener.class));
  }

  @Test
  void aBeanOfAGuardedTypeIsReplacedByItsGuardedClass() {
    runner
        .withUserConfiguration(PriceConfiguration.class)
        .run(
            context -> {
              PriceService prices = context.getBean(PriceService.class);
              assertThat(prices.getClass().getSimpleName()).isEqualTo("Guarded_PriceService");
              assertThat(prices.price("tea")).isEqualTo(250);
              assertThat(prices.price("coffee")).isEqualTo(-1); // the fallback answers
              assertThat(context.getBean(Brownout.class).findGuard("PriceService.price"))
                  .isPresent();
            });
  }

  @Test
  void aBeanOfAnAnnotatedClassIsReplacedByItsGuardedSubclass() {
    runner
        .withBean(StockService.class)
        .run(
            context -> {
              StockService stock = context.getBean(StockService.class);
              assertThat(stock.getClass().getSimpleName()).isEqualTo("Guarded_StockService");
              assertThat(stock.stock("tea")).isEqualTo(3);
              assertThat(context.getBean(Brownout.class).findGuard("StockService.stock"))
                  .isPresent();
            });
  }

  @Test
  void guardedBeansCanBeTurnedOff() {
    runner
        .withUserConfiguration(PriceConfiguration.class)
        .withPropertyValues("brownout.guarded-beans.enabled=false")
        .run(
            context ->
                assertThat(context.getBean(PriceService.class))
                    .isExactlyInstanceOf(DefaultPriceService.class));
  }

  @Test
  void aBeanThatIsAlreadyGuardedIsNotWrappedAgain() {
    try (Brownout other = Brownout.builder().build()) {
      PriceService guarded = other.wrap(PriceService.class, new DefaultPriceService(new Catalog()));
      runner
          .withBean(PriceService.class, () -> guarded)
          .run(context -> assertThat(context.getBean(PriceService.class)).isSameAs(guarded));
    }
  }

  @Test
  void aGuardedTypeBacksOneSingletonAndSaysSoOtherwise() {
    runner
        .withBean("priceService", PriceService.class, () -> new DefaultPriceService(new Catalog()))
        .withBean("backupPrices", PriceService.class, () -> new DefaultPriceService(new Catalog()))
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining("beans 'priceService' and 'backupPrices' are both of")
                    .hasStackTraceContaining(
                        "guarded type dev.brownout.spring.sample.PriceService"));
    runner
        .withBean(
            "prices",
            PriceService.class,
            () -> new DefaultPriceService(new Catalog()),
            definition -> definition.setScope("prototype"))
        .run(
            context ->
                assertThatThrownBy(() -> context.getBean(PriceService.class))
                    .hasMessageContaining("must be a singleton")
                    .hasMessageContaining("bean 'prices' has scope 'prototype'"));
  }

  @Test
  void underLazyInitializationTheGuardKeysAreNotCheckedAgainstGuardsNotYetBuilt() {
    runner
        .withPropertyValues("brownout.guard.PriceService.price.timeout.duration=750ms")
        .withBean(LazyInitializationBeanFactoryPostProcessor.class)
        .withUserConfiguration(PriceConfiguration.class)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(PriceService.class).price("tea")).isPositive();
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class PriceConfiguration {
    @Bean
    Catalog catalog() {
      return new Catalog();
    }

    @Bean
    PriceService priceService(Catalog catalog) {
      return new DefaultPriceService(catalog);
    }
  }
}
