package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.recover.Incident;
import dev.brownout.recover.Recover;
import dev.brownout.recover.servlet.RecoverFilter;
import dev.brownout.spring.recovering.Quotes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

class BrownoutRecoverAutoConfigurationTest {

  private static final AutoConfigurations CONFIGURATIONS =
      AutoConfigurations.of(
          BrownoutAutoConfiguration.class, BrownoutRecoverAutoConfiguration.class);

  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

  @Test
  void registersTheRecoveryFilterInAServletApplication() {
    web.run(
        context -> {
          assertThat(context).hasSingleBean(Recover.class).hasBean("brownoutRecoverFilter");
          FilterRegistrationBean<?> registration =
              context.getBean("brownoutRecoverFilter", FilterRegistrationBean.class);
          assertThat(registration.getFilter()).isInstanceOf(DispatcherRecoverFilter.class);
          assertThat(registration.getOrder())
              .isEqualTo(BrownoutRecoverAutoConfiguration.FILTER_ORDER);
        });
  }

  @Test
  void theRuntimesRecoveryCoreKeepsItsIncidentsForTheEndpoint() {
    web.run(
        context -> {
          Recover recover = context.getBean(Recover.class);
          assertThat(Recover.of(context.getBean(Brownout.class))).isSameAs(recover);
          Incident incident = recover.recover("task:nightly", new IllegalStateException("boom"));
          assertThat(context.getBean(RecentIncidents.class).recent()).containsExactly(incident);
        });
  }

  @Test
  void aGuardedBeansRecoverMethodRecordsIntoTheSameIncidents() {
    // user beans are created before the auto-configuration's: the generated class must not
    // install a recovery core of its own first
    web.withBean(
            "quotes",
            Quotes.class,
            () ->
                item -> {
                  throw new IllegalStateException("no price list");
                })
        .run(
            context -> {
              Quotes quotes = context.getBean(Quotes.class);
              assertThat(quotes.getClass().getSimpleName()).isEqualTo("Guarded_Quotes");

              assertThat(quotes.quote("tea")).isEqualTo("no quote");

              assertThat(Recover.of(context.getBean(Brownout.class)))
                  .isSameAs(context.getBean(Recover.class));
              assertThat(context.getBean(RecentIncidents.class).recent())
                  .singleElement()
                  .satisfies(i -> assertThat(i.throwableClass()).endsWith("IllegalStateException"));
            });
  }

  @Test
  void theFilterCanBeTurnedOff() {
    web.withPropertyValues("brownout.recover.filter.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("brownoutRecoverFilter"));
  }

  @Test
  void registersNothingOutsideAServletApplication() {
    new ApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .run(context -> assertThat(context).doesNotHaveBean("brownoutRecoverFilter"));
  }

  @Test
  void registersNothingWithoutRecoverMiddlewareOnTheClassPath() {
    web.withClassLoader(new FilteredClassLoader(RecoverFilter.class))
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean("brownoutRecoverFilter")
                    .doesNotHaveBean(Recover.class));
  }

  @Test
  void anApplicationsOwnRegistrationReplacesIt() {
    web.withBean(
            "brownoutRecoverFilter",
            FilterRegistrationBean.class,
            () -> new FilterRegistrationBean<>(new RecoverFilter(Recover.builder().build())))
        .run(
            context ->
                assertThat(
                        context
                            .getBean("brownoutRecoverFilter", FilterRegistrationBean.class)
                            .getOrder())
                    .isNotEqualTo(BrownoutRecoverAutoConfiguration.FILTER_ORDER));
  }
}
