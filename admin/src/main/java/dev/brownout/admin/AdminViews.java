package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Snapshots of a runtime's state as plain trees of maps, lists, strings, numbers and booleans, in
 * the same shapes as the sections of the admin JSON API v1 ({@code GET api/v1/state}, see {@code
 * docs/admin.md}), for another surface to return as they are (a Spring Boot actuator endpoint,
 * say). Each call reads the runtime afresh; nothing is cached, no thread is started.
 *
 * <pre>{@code
 * AdminViews views = AdminViews.of(brownout, features, incidents);
 * List<Object> breakers = views.breakers(); // [{"name": "payments", "state": "CLOSED", ...}]
 * }</pre>
 *
 * <p>A breaker's {@code failureRate} and {@code lastSecond} are the calls of the last second, which
 * someone has to count: they stay null until {@link #sampleBreakerCalls()} has run, and are as
 * recent as its last run. The admin runs its own once a second; the Spring Boot endpoint runs this
 * one once a second while its application context runs.
 */
public final class AdminViews {

  private final Views views;
  private final Features features;
  private final BreakerCalls calls;

  private AdminViews(Brownout brownout, Features features, @Nullable RecentIncidents incidents) {
    this.calls = new BreakerCalls(brownout);
    this.views =
        new Views(brownout, features, incidents, new AdminAudit(), calls, MigrationSection.NONE);
    this.features = features;
  }

  /** The views of {@code brownout} and its {@code features}, with no incidents. */
  public static AdminViews of(Brownout brownout, Features features) {
    return new AdminViews(brownout, features, null);
  }

  /** The views of {@code brownout} and its {@code features}, with the {@code incidents} kept. */
  public static AdminViews of(Brownout brownout, Features features, RecentIncidents incidents) {
    return new AdminViews(brownout, features, incidents);
  }

  /**
   * Counts every breaker's calls since the last run, for its {@code failureRate} and {@code
   * lastSecond}: to be run once a second (a scheduled task).
   */
  public synchronized void sampleBreakerCalls() {
    calls.tick();
  }

  /** {@code level}: the brownout level, its last cause and the controller's last decision. */
  public Map<String, @Nullable Object> level() {
    return views.level();
  }

  /** {@code features}: every feature defined, by name. */
  public List<Object> features() {
    return views.features();
  }

  /** One feature, or null if nobody defined it (reading it does not define it). */
  public @Nullable Map<String, @Nullable Object> feature(String name) {
    return features.find(name) == null ? null : feature(features.feature(name).state());
  }

  /** One feature's state, as in {@code features}. */
  public static Map<String, @Nullable Object> feature(FeatureState state) {
    return Views.feature(state);
  }

  /** {@code breakers}: every circuit breaker's state and the calls through it since the start. */
  public List<Object> breakers() {
    return views.breakers();
  }

  /** {@code bulkheads}: every bulkhead's permits. */
  public List<Object> bulkheads() {
    return views.bulkheads();
  }

  /** {@code executors}: every bounded executor and its partitions. */
  public List<Object> executors() {
    return views.executors();
  }

  /** {@code limiters}: every concurrency limiter and its partitions. */
  public List<Object> limiters() {
    return views.limiters();
  }

  /** {@code incidents}: the recent incidents kept, oldest first; empty without a source. */
  public List<Object> incidents() {
    return views.incidents();
  }
}
