package dev.brownout.degradation;

import dev.brownout.core.internal.Settings;
import dev.brownout.core.spi.Admission;
import org.jspecify.annotations.Nullable;

/**
 * A named product capability that can be turned off so the rest of the service keeps serving.
 * Obtained from {@link Features}; one instance per name and runtime. A feature is its identity (its
 * name, its place among its runtime's features) and reads of the state its {@link Features}
 * publishes; it holds nothing that changes.
 *
 * <pre>{@code
 * Feature recommendations = features.feature("feed.recommendations");
 * if (recommendations.isEnabled(userId)) { page.add(recommender.forUser(userId)); }
 * }</pre>
 *
 * <p>{@link #isEnabled()} and {@link #isEnabled(Object)} cost a volatile read and an array load:
 * the effect of every switch, parent, trigger and the brownout level is computed when one of them
 * changes, never on the call's path.
 */
public final class Feature {

  /** The threshold of a fully enabled feature: every 32-bit key hash is below it. */
  static final long FULL = 1L << 32;

  private final Features features;
  private final int index;
  private final FeatureName name;
  private final Feature parent;

  /**
   * The salt of the rollout hash: the top-level feature's name, so that a child's rollout admits a
   * subset of its parent's keys (one order of keys per tree) while separate trees pick different
   * keys.
   */
  private final long salt;

  Feature(Features features, int index, FeatureName name, Feature parent) {
    this.features = features;
    this.index = index;
    this.name = name;
    this.parent = parent;
    this.salt = parent == null ? KeyHash.salt(name.toString(), 0) : parent.salt;
  }

  /** The feature's name: dotted lower-case words, {@code feed.recommendations}. */
  public String name() {
    return name.toString();
  }

  FeatureName featureName() {
    return name;
  }

  int index() {
    return index;
  }

  /** The feature one level up, or null for a top-level feature; created before this one. */
  Feature parent() {
    return parent;
  }

  /** The feature's priority, which decides at which brownout level it is shed. */
  public Priority priority() {
    return features.state(index).priority();
  }

  /**
   * Whether the feature is on for everyone. A partial ROLLOUT answers false here: without a key
   * there is no user to keep in or out, so use {@link #isEnabled(Object)}.
   */
  public boolean isEnabled() {
    return features.threshold(index) == FULL;
  }

  /**
   * Whether the feature is on for {@code key} (a user, tenant or session id). Under a ROLLOUT the
   * same key always gets the same answer, on every instance: strings, UUIDs, integral numbers and
   * enums (by name) are hashed by their bytes; any other key by its {@code hashCode}, which must
   * then be stable across processes (records of strings and numbers are). Each top-level feature
   * orders keys differently, so two rollouts do not pick the same first keys.
   */
  public boolean isEnabled(@Nullable Object key) {
    long threshold = features.threshold(index);
    return threshold == FULL
        || (threshold != 0 && key != null && KeyHash.admits(KeyHash.of(key, salt), threshold));
  }

  /**
   * {@link #isEnabled(Object)} for a numeric key, without boxing; agrees with it for a {@code
   * Long}.
   */
  public boolean isEnabled(long key) {
    long threshold = features.threshold(index);
    return threshold == FULL
        || (threshold != 0 && KeyHash.admits(KeyHash.of(key, salt), threshold));
  }

  /** The feature's setting and its effect right now, with the reason when it is not fully on. */
  public FeatureState state() {
    return features.state(index);
  }

  /**
   * The admission policy that makes a guard honour this feature: while it is off, the guard serves
   * {@code strategy}'s substitute and never runs the call.
   *
   * <pre>{@code
   * Guard recs = brownout.guard("recommendations")
   *     .admission(feature.degradeTo(DegradationStrategy.lastGood(10_000, Duration.ofMinutes(10))))
   *     .circuitBreaker(CircuitBreakerConfig.ofDefaults())
   *     .build();
   * }</pre>
   */
  public Admission degradeTo(DegradationStrategy<?> strategy) {
    return new FeatureAdmission(
        this, features, Settings.notNull("feature.degradeTo.strategy", strategy));
  }

  @Override
  public String toString() {
    return "Feature[" + name + ", " + state().effective() + "]";
  }
}
