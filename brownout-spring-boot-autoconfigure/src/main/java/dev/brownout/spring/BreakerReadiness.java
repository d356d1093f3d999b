package dev.brownout.spring;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * OUT_OF_SERVICE while a circuit breaker of the runtime rejects calls (open or forced open), UP
 * otherwise; the details list every breaker's state. Opt-in ({@code
 * brownout.health.readiness.enabled=true}) and a member of the readiness group only ({@link
 * ReadinessOnly}): a breaker that opens takes the instance out of its load balancer while the
 * dependency recovers, and never has it restarted.
 */
final class BreakerReadiness implements HealthIndicator {

  /** The contributor's name in the health groups. */
  static final String NAME = "brownoutBreakers";

  private final Brownout brownout;

  BreakerReadiness(Brownout brownout) {
    this.brownout = brownout;
  }

  @Override
  public Health health() {
    Map<String, String> states = new LinkedHashMap<>();
    List<String> rejecting = new ArrayList<>();
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      states.put(breaker.name(), breaker.state().name());
      if (breaker.isRejectingCalls()) {
        rejecting.add(breaker.name());
      }
    }
    Health.Builder health = rejecting.isEmpty() ? Health.up() : Health.outOfService();
    return health.withDetail("breakers", states).withDetail("rejecting", rejecting).build();
  }
}
