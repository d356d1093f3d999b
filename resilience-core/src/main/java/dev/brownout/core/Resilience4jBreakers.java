package dev.brownout.core;

import dev.brownout.core.internal.Settings;

/**
 * Puts an existing Resilience4j breaker inside a guard, so a team moves to Brownout one dependency
 * at a time: the breaker keeps its own config, state, events and meters; its transitions also reach
 * the runtime's logs, listeners and meters.
 *
 * <pre>{@code
 * io.github.resilience4j.circuitbreaker.CircuitBreaker legacy = registry.circuitBreaker("legacy");
 * Guard guard = brownout.guard("legacy")
 *     .circuitBreaker(Resilience4jBreakers.adopt(brownout, legacy))
 *     .build();
 * }</pre>
 *
 * <p>This is the only public type that speaks Resilience4j's breaker API, and {@code
 * resilience4j-circuitbreaker} is an optional dependency: the runtime itself can be loaded and
 * introspected (as a container does when it creates a bean) without that jar; only this class needs
 * it.
 */
public final class Resilience4jBreakers {

  private Resilience4jBreakers() {}

  /**
   * The breaker registered in {@code brownout} under {@code breaker}'s name, adopting {@code
   * breaker} if the name is new; adopting the same instance again returns the same breaker, and a
   * name already taken by another breaker fails.
   */
  @SuppressWarnings(
      "exports") // Resilience4j is optional in the module descriptor; its caller requires it
  public static CircuitBreaker adopt(
      Brownout brownout, io.github.resilience4j.circuitbreaker.CircuitBreaker breaker) {
    Settings.notNull("brownout", brownout);
    Settings.notNull("circuitBreaker", breaker);
    return brownout.named(
        breaker.getName(),
        breaker,
        () -> new Resilience4jCircuitBreaker(breaker, brownout.telemetry()));
  }
}
