package dev.brownout.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * One guard per key (per tenant, per host) from a template, held in a bounded, expiring Caffeine
 * cache so that a flood of distinct keys costs at most {@code maximumKeys} guards. An evicted key's
 * guard, with its breaker state, is rebuilt fresh on its next call. All keys share one set of
 * metrics, tagged with the family name, so keys never become meter tags.
 *
 * <pre>{@code
 * KeyedGuards<String> perTenant = brownout.keyedGuards("tenant-api", 10_000, Duration.ofMinutes(10),
 *     guard -> guard.circuitBreaker(CircuitBreakerConfig.ofDefaults()));
 * perTenant.get("acme").call(() -> api.fetch("acme"));
 * }</pre>
 *
 * @param <K> the key type; its {@code toString()} names the guard ({@code family[key]})
 */
public final class KeyedGuards<K> {

  private final String family;
  private final Brownout runtime;
  private final UnaryOperator<Guard.Builder> template;
  private final CallStats stats;
  private final Cache<K, Guard> guards;

  KeyedGuards(
      Brownout runtime,
      String family,
      long maximumKeys,
      Duration expireAfterAccess,
      UnaryOperator<Guard.Builder> template,
      CallStats stats) {
    if (maximumKeys < 1) {
      throw Settings.invalid("keyedGuards.maximumKeys", maximumKeys, "must be at least 1");
    }
    Settings.positive("keyedGuards.expireAfterAccess", expireAfterAccess);
    this.runtime = runtime;
    this.family = family;
    this.template = Settings.notNull("keyedGuards.template", template);
    this.stats = stats;
    this.guards =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .expireAfterAccess(expireAfterAccess)
            .ticker(runtime.ticker()::read)
            .build();
  }

  public String name() {
    return family;
  }

  /** The guard for {@code key}, built from the template on first use. */
  public Guard get(K key) {
    Settings.notNull("keyedGuards.key", key);
    return guards.get(key, this::create);
  }

  /** How many keys currently hold a guard (an estimate, as Caffeine's). */
  public long size() {
    guards.cleanUp();
    return guards.estimatedSize();
  }

  private Guard create(K key) {
    Guard.Builder builder = Guard.builder(runtime, family + "[" + key + "]", family, stats);
    Guard.Builder configured = template.apply(builder);
    if (configured == null) {
      throw Settings.invalid(
          "keyedGuards.template", "null", "must return the builder it was given");
    }
    return configured.build();
  }
}
