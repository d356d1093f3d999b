package dev.brownout.spring;

import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.recover.Recover;
import dev.brownout.recover.servlet.RecoverFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The recovery filter in a Servlet web application: a crash in a request becomes one incident (a
 * log line with its id, a meter) and a clean problem response, never a stack trace. It runs in
 * front of every other filter but the character encoding, so a crash in a filter is recovered too.
 * On by default; {@code brownout.recover.filter.enabled=false} turns it off, and a filter
 * registration bean named {@code brownoutRecoverFilter} replaces it. The recent incidents are kept
 * for the actuator endpoint and the admin page.
 */
@AutoConfiguration(after = BrownoutAutoConfiguration.class)
@ConditionalOnClass({RecoverFilter.class, FilterRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBean(Brownout.class)
@ConditionalOnProperty(
    name = "brownout.recover.filter.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class BrownoutRecoverAutoConfiguration {

  /** Where the filter runs: after Spring's character encoding filter, before all others. */
  public static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /** How many recent incidents {@code brownoutIncidents} keeps. */
  public static final int KEPT_INCIDENTS = 100;

  /** Created by Spring. */
  public BrownoutRecoverAutoConfiguration() {}

  /**
   * The last {@value #KEPT_INCIDENTS} incidents, which the actuator endpoint and the admin page
   * show; every incident is still logged to SLF4J.
   */
  @Bean
  @ConditionalOnMissingBean
  RecentIncidents brownoutIncidents() {
    return RecentIncidents.keeping(KEPT_INCIDENTS);
  }

  /**
   * The runtime's recovery core, shared with every other adapter of the runtime ({@link Recover#of}
   * returns it), writing its incidents through {@code brownoutIncidents}.
   */
  @Bean
  @ConditionalOnMissingBean
  Recover brownoutRecover(Brownout brownout, RecentIncidents brownoutIncidents) {
    return brownout.component(
        Recover.class,
        runtime -> {
          Recover recover = Recover.builder().log(brownoutIncidents).build();
          runtime.bindMeters(recover);
          return recover;
        });
  }

  /** The {@link RecoverFilter}, seeing a handler's own exception rather than MVC's wrapper. */
  @Bean
  @ConditionalOnMissingBean(name = "brownoutRecoverFilter")
  FilterRegistrationBean<Filter> brownoutRecoverFilter(Recover brownoutRecover) {
    FilterRegistrationBean<Filter> registration =
        new FilterRegistrationBean<>(
            new DispatcherRecoverFilter(new RecoverFilter(brownoutRecover)));
    registration.setName("brownoutRecoverFilter");
    registration.setOrder(FILTER_ORDER);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }
}
