package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.Limiter;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin's clock-driven events, on its one scheduler thread: a {@code breaker} event for each
 * breaker whose state changed since the last look (four looks a second), a {@code shift} event for
 * each shift whose state, share or decisions changed, and the {@code summary} once a second: the
 * compact state a page's header and sparklines need.
 */
final class Summary {

  private static final int TICKS_PER_SUMMARY = 4;

  private final Brownout brownout;
  private final Features features;
  private final Views views;
  private final BreakerCalls calls;
  private final EventHub hub;
  private final MigrationSection migration;
  private final Map<String, CircuitBreaker.State> breakerStates = new HashMap<>();
  private int ticks;

  Summary(
      Brownout brownout,
      Features features,
      Views views,
      BreakerCalls calls,
      EventHub hub,
      MigrationSection migration) {
    this.brownout = brownout;
    this.features = features;
    this.views = views;
    this.calls = calls;
    this.hub = hub;
    this.migration = migration;
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      breakerStates.put(breaker.name(), breaker.state());
    }
  }

  /** Runs on the scheduler thread only; a failure must not end the schedule. */
  void tick() {
    try {
      breakers();
      migration.tick(hub);
      if (++ticks % TICKS_PER_SUMMARY == 0) {
        calls.tick();
        // Nobody to tell, nothing to replay: a reconnecting client reads the state anyway.
        if (hub.clients() > 0) {
          hub.publish("summary", Json.write(summary()));
        }
      }
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(Summary.class).warn("admin events: {}", e.toString());
    }
  }

  private void breakers() {
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      CircuitBreaker.State state = breaker.state();
      CircuitBreaker.State before = breakerStates.put(breaker.name(), state);
      if (before != state) {
        Map<String, Object> event = new LinkedHashMap<>(views.breaker(breaker));
        event.put("from", before == null ? null : before.name());
        event.put("time", Instant.now().toString());
        hub.publish("breaker", Json.write(event));
      }
    }
  }

  Map<String, Object> summary() {
    List<String> degraded = new ArrayList<>();
    for (FeatureState state : features.snapshot().values()) {
      if (state.isDegraded()) {
        degraded.add(state.feature());
      }
    }
    Map<String, Object> breakers = new LinkedHashMap<>();
    Map<String, Object> breakerCalls = new LinkedHashMap<>();
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      breakers.put(breaker.name(), breaker.state().name());
      BreakerCalls.Interval second = calls.lastSecond(breaker.name());
      breakerCalls.put(
          breaker.name(),
          second == null ? new BreakerCalls.Interval(0, 0, 0).view() : second.view());
    }
    Map<String, Object> executors = new LinkedHashMap<>();
    for (BoundedExecutor executor : brownout.executors()) {
      executors.put(executor.name(), executor.saturation());
    }
    Map<String, Object> limiters = new LinkedHashMap<>();
    for (Limiter limiter : brownout.limiters()) {
      limiters.put(
          limiter.name(),
          Map.of(
              "limit", limiter.limit(),
              "inFlight", limiter.inFlight(),
              "pressure", limiter.pressure()));
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("time", Instant.now().toString());
    summary.put("level", features.level());
    summary.put("degraded", degraded);
    summary.put("breakers", breakers);
    summary.put("breakerCalls", breakerCalls);
    summary.put("executors", executors);
    summary.put("limiters", limiters);
    summary.put("incidents", views.incidentTotal());
    summary.put("shifts", migration.summary());
    return summary;
  }
}
