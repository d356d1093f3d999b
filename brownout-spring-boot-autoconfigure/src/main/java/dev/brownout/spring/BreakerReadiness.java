package dev.brownout.spring;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * OUT_OF_SERVICE while a circuit breaker it watches rejects calls (open or forced open), UP
 * otherwise; the details list each watched breaker's state. It watches the breakers named in {@code
 * brownout.health.readiness.breakers}, or every breaker of the runtime when none are named: name
 * the ones whose dependency the instance cannot serve without (payments), not those whose features
 * degrade (recommendations). A named breaker that does not exist (yet) is listed under {@code
 * unknown}, never ignored. Opt-in ({@code brownout.health.readiness.enabled=true}) and a member of
 * the readiness group only ({@link ReadinessOnly}): a breaker that opens takes the instance out of
 * its load balancer while the dependency recovers, and never has it restarted.
 */
final class BreakerReadiness implements HealthIndicator {

  /** The contributor's name in the health groups. */
  static final String NAME = "brownoutBreakers";

  private final Brownout brownout;
  private final Set<String> watched;

  /** Watches {@code watched} breakers, or every breaker when it is empty. */
  BreakerReadiness(Brownout brownout, Collection<String> watched) {
    this.brownout = brownout;
    this.watched = new LinkedHashSet<>(watched);
  }

  BreakerReadiness(Brownout brownout) {
    this(brownout, List.of());
  }

  @Override
  public Health health() {
    Map<String, String> states = new LinkedHashMap<>();
    List<String> rejecting = new ArrayList<>();
    Set<String> unknown = new LinkedHashSet<>(watched);
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      if (!watched.isEmpty() && !watched.contains(breaker.name())) {
        continue;
      }
      unknown.remove(breaker.name());
      states.put(breaker.name(), breaker.state().name());
      if (breaker.isRejectingCalls()) {
        rejecting.add(breaker.name());
      }
    }
    Health.Builder health = rejecting.isEmpty() ? Health.up() : Health.outOfService();
    health.withDetail("breakers", states).withDetail("rejecting", rejecting);
    if (!unknown.isEmpty()) {
      health.withDetail("unknown", List.copyOf(unknown));
    }
    return health.build();
  }
}
