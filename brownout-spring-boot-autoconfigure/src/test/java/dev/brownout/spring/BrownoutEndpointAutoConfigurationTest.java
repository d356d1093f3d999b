package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.degradation.Features;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class BrownoutEndpointAutoConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BrownoutAutoConfiguration.class, BrownoutEndpointAutoConfiguration.class));

  @Test
  void theEndpointIsCreatedWhenExposed() {
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=brownout")
        .run(context -> assertThat(context).hasSingleBean(BrownoutEndpoint.class));
  }

  /**
   * The endpoint counts the breakers' calls once a second while the context runs, as the admin
   * does: a breaker's last second and failure rate are filled, and its thread ends with the
   * context.
   */
  @Test
  void theBreakersLastSecondIsCountedWhileTheContextRuns() {
    Set<Thread> others = samplers(); // of other tests' contexts, cached by Spring's test support
    Set<Thread> ours = new HashSet<>();
    runner
        .withPropertyValues("management.endpoints.web.exposure.include=brownout")
        .run(
            context -> {
              Brownout brownout = context.getBean(Brownout.class);
              Guard payments =
                  brownout
                      .guard("payments")
                      .circuitBreaker(
                          brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults()))
                      .build();
              BrownoutEndpoint endpoint = context.getBean(BrownoutEndpoint.class);
              assertThat(endpoint.isRunning()).isTrue();
              ours.addAll(samplers());
              ours.removeAll(others);
              assertThat(ours).hasSize(1);
              // Just after a count, so that both calls fall in the same second.
              await().atMost(Duration.ofSeconds(5)).until(() -> lastSecond(endpoint) != null);
              payments.call(() -> "paid");
              assertThatThrownBy(
                      () ->
                          payments.call(
                              () -> {
                                throw new IllegalStateException("declined");
                              }))
                  .hasMessage("declined");

              await()
                  .atMost(Duration.ofSeconds(5))
                  .untilAsserted(
                      () -> {
                        assertThat(lastSecond(endpoint))
                            .isEqualTo(
                                Map.of(
                                    "calls", 2L, "failed", 1L, "rejected", 0L, "failureRate", 0.5));
                        assertThat(breaker(endpoint).get("failureRate")).isEqualTo(0.5);
                      });
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> ours.stream().noneMatch(Thread::isAlive));
  }

  private static Map<?, ?> breaker(BrownoutEndpoint endpoint) {
    return (Map<?, ?>) ((List<?>) endpoint.section("breakers")).get(0);
  }

  private static @Nullable Object lastSecond(BrownoutEndpoint endpoint) {
    return breaker(endpoint).get("lastSecond");
  }

  private static Set<Thread> samplers() {
    Set<Thread> samplers = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("brownout-endpoint-breakers")) {
        samplers.add(thread);
      }
    }
    return samplers;
  }

  @Test
  void theEndpointIsNotCreatedWhenNotExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(BrownoutEndpoint.class));
  }

  @Test
  void theEndpointIsNotCreatedWhenDisabled() {
    runner
        .withPropertyValues(
            "management.endpoints.web.exposure.include=brownout",
            "management.endpoint.brownout.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(BrownoutEndpoint.class));
  }

  @Test
  void nothingIsCreatedWithoutTheActuatorOnTheClassPath() {
    runner
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .withPropertyValues(
            "management.endpoints.web.exposure.include=brownout",
            "brownout.health.readiness.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(BrownoutEndpoint.class)
                    .doesNotHaveBean(BreakerReadiness.NAME));
  }

  @Test
  void noHealthContributorByDefault() {
    runner.run(
        context ->
            assertThat(context)
                .doesNotHaveBean(HealthIndicator.class)
                .doesNotHaveBean(ReadinessOnly.class));
  }

  @Test
  void theReadinessContributorIsOptIn() {
    runner
        .withPropertyValues("brownout.health.readiness.enabled=true")
        .run(
            context ->
                assertThat(context)
                    .hasBean(BreakerReadiness.NAME)
                    .hasSingleBean(ReadinessOnly.class));
  }

  @Test
  void theBreakersAreInTheReadinessGroupOnlyWhateverOrderTheConfigurationsAreListedIn() {
    // Brownout's listed first: the readiness group exists only once Boot's probes have added it,
    // so the membership holds only if the auto-configuration's own ordering puts Brownout's after.
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                BrownoutEndpointAutoConfiguration.class,
                BrownoutAutoConfiguration.class,
                AvailabilityProbesAutoConfiguration.class,
                HealthEndpointAutoConfiguration.class,
                HealthContributorAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withPropertyValues(
            "brownout.health.readiness.enabled=true",
            "management.endpoint.health.probes.enabled=true")
        .run(
            context -> {
              HealthEndpointGroups groups = context.getBean(HealthEndpointGroups.class);
              assertThat(groups.get("readiness").isMember(BreakerReadiness.NAME)).isTrue();
              assertThat(groups.get("liveness").isMember(BreakerReadiness.NAME)).isFalse();
              assertThat(groups.getPrimary().isMember(BreakerReadiness.NAME)).isFalse();
            });
  }

  @Test
  void readinessIsOutOfServiceWhileABreakerRejectsCalls() {
    try (Brownout brownout = Brownout.builder().build()) {
      HealthIndicator readiness = new BreakerReadiness(brownout);
      brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults());
      assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);

      brownout.findCircuitBreaker("payments").orElseThrow().forceOpen();
      Health health = readiness.health();
      assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
      assertThat(health.getDetails()).containsEntry("breakers", Map.of("payments", "FORCED_OPEN"));
    }
  }

  @Test
  void readinessWatchesTheNamedBreakersOnlyAndListsUnknownNames() {
    try (Brownout brownout = Brownout.builder().build()) {
      HealthIndicator readiness = new BreakerReadiness(brownout, List.of("payments", "paymnets"));
      brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults());
      brownout.circuitBreaker("recommendations", CircuitBreakerConfig.ofDefaults()).forceOpen();

      Health health = readiness.health();
      assertThat(health.getStatus()).as("an optional dependency's breaker").isEqualTo(Status.UP);
      assertThat(health.getDetails())
          .containsEntry("breakers", Map.of("payments", "CLOSED"))
          .containsEntry("unknown", List.of("paymnets"));

      brownout.findCircuitBreaker("payments").orElseThrow().forceOpen();
      assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    }
  }

  @Test
  void theBreakersReadinessWatchesAreNamedByAProperty() {
    runner
        .withPropertyValues(
            "brownout.health.readiness.enabled=true",
            "brownout.health.readiness.breakers=payments, inventory")
        .run(
            context -> {
              Brownout brownout = context.getBean(Brownout.class);
              brownout
                  .circuitBreaker("recommendations", CircuitBreakerConfig.ofDefaults())
                  .forceOpen();
              Health health =
                  context.getBean(BreakerReadiness.NAME, HealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails())
                  .containsEntry("unknown", List.of("payments", "inventory"));
            });
  }

  @Test
  void aWriteWithoutAReasonIsRefused() {
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      features.feature("feed.recommendations");
      BrownoutEndpoint endpoint = new BrownoutEndpoint(brownout, features);

      assertThatThrownBy(
              () ->
                  endpoint.setFeature(
                      SecurityContext.NONE, "features", "feed.recommendations", "OFF", " "))
          .isInstanceOf(InvalidEndpointRequestException.class)
          .hasMessageContaining("reason");
      assertThatThrownBy(() -> endpoint.setLevel(SecurityContext.NONE, "level", 2, null))
          .isInstanceOf(InvalidEndpointRequestException.class);
      assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();
      assertThat(features.level()).isZero();
    }
  }

  @Test
  void aWriteToAFeatureNobodyDefinedIsRefusedAndCreatesNone() {
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      BrownoutEndpoint endpoint = new BrownoutEndpoint(brownout, features);

      assertThatThrownBy(
              () -> endpoint.setFeature(SecurityContext.NONE, "features", "typo", "OFF", "test"))
          .isInstanceOf(InvalidEndpointRequestException.class)
          .hasMessageContaining("no feature 'typo'");
      assertThat(features.find("typo")).isNull();
    }
  }
}
