package dev.brownout.spring;

import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import java.util.Arrays;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With Spring Boot's actuator: the {@link BrownoutEndpoint} when it is available (enabled and
 * exposed, {@code management.endpoints.web.exposure.include=brownout}), and, only when asked
 * ({@code brownout.health.readiness.enabled=true}), a readiness contributor for the circuit
 * breakers. Nothing is added to the health by default: an open breaker should shed the calls to one
 * dependency, not take a fleet out of its load balancer.
 */
@AutoConfiguration(
    after = {BrownoutAutoConfiguration.class, BrownoutRecoverAutoConfiguration.class},
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration"
    })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean({Brownout.class, Features.class})
public class BrownoutEndpointAutoConfiguration {

  /** Created by Spring. */
  public BrownoutEndpointAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(endpoint = BrownoutEndpoint.class)
  BrownoutEndpoint brownoutEndpoint(
      Brownout brownout, Features features, ObjectProvider<RecentIncidents> incidents) {
    RecentIncidents kept = incidents.getIfUnique();
    return kept == null
        ? new BrownoutEndpoint(brownout, features)
        : new BrownoutEndpoint(brownout, features, kept);
  }

  /** The opt-in readiness contributor and its membership of the readiness group only. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  @ConditionalOnProperty(name = "brownout.health.readiness.enabled", havingValue = "true")
  static class Readiness {

    @Bean(name = BreakerReadiness.NAME)
    HealthIndicator brownoutBreakers(Brownout brownout, Environment environment) {
      String[] named =
          environment.getProperty(
              "brownout.health.readiness.breakers", String[].class, new String[0]);
      return new BreakerReadiness(
          brownout, Arrays.stream(named).map(String::strip).filter(n -> !n.isEmpty()).toList());
    }

    @Bean
    static ReadinessOnly brownoutReadinessOnly() {
      return new ReadinessOnly(BreakerReadiness.NAME);
    }
  }
}
