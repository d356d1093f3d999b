package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.CallCounts;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.Limiter;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.recover.Incident;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON views of a runtime's state, one per section of {@code GET api/v1/state}; each is read
 * when asked, from the parts' own public accessors, so a view is as fresh as the request.
 */
final class Views {

  private final Brownout brownout;
  private final Features features;
  private final @Nullable RecentIncidents incidents;
  private final AdminAudit audit;
  private final BreakerCalls calls;
  private final MigrationSection migration;

  Views(
      Brownout brownout,
      Features features,
      @Nullable RecentIncidents incidents,
      AdminAudit audit,
      BreakerCalls calls,
      MigrationSection migration) {
    this.brownout = brownout;
    this.features = features;
    this.incidents = incidents;
    this.audit = audit;
    this.calls = calls;
    this.migration = migration;
  }

  Map<String, Object> state() {
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("level", level());
    state.put("features", features());
    state.put("breakers", breakers());
    state.put("bulkheads", bulkheads());
    state.put("executors", executors());
    state.put("limiters", limiters());
    state.put("incidents", incidents());
    state.put("experiments", migration.experiments());
    state.put("shifts", migration.shifts());
    state.put("history", history());
    return state;
  }

  Map<String, @Nullable Object> level() {
    SwitchChange cause = null;
    SwitchChange decision = null;
    for (SwitchChange change : features.history()) {
      if (change.feature().equals(Features.LEVEL)) {
        cause = change;
        if (change.source().equals("controller")) {
          decision = change;
        }
      }
    }
    Map<String, @Nullable Object> level = new LinkedHashMap<>();
    level.put("level", features.level());
    level.put("cause", cause == null ? null : cause.cause());
    level.put("controller", decision == null ? null : change(decision));
    return level;
  }

  List<Object> features() {
    List<Object> list = new ArrayList<>();
    for (FeatureState state : features.snapshot().values()) {
      list.add(feature(state));
    }
    return list;
  }

  static Map<String, @Nullable Object> feature(FeatureState state) {
    Switch setting = state.setting();
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("name", state.feature());
    view.put("priority", state.priority().name());
    view.put("switch", setting.kind().name());
    view.put("percent", setting.kind() == Switch.Kind.ROLLOUT ? setting.percent() : null);
    view.put("enabledPercent", state.enabledPercent());
    view.put("effective", state.effective());
    view.put("cause", state.cause());
    view.put("reason", setting.reason());
    view.put("by", setting.by());
    view.put("setAt", text(state.setAt()));
    view.put("expiresAt", text(state.expiresAt()));
    view.put("source", state.source());
    return view;
  }

  List<Object> breakers() {
    List<Object> list = new ArrayList<>();
    for (CircuitBreaker breaker : brownout.circuitBreakers()) {
      list.add(breaker(breaker));
    }
    return list;
  }

  Map<String, @Nullable Object> breaker(CircuitBreaker breaker) {
    CallCounts counts = calls.totals().get(breaker.name());
    BreakerCalls.Interval total = counts == null ? null : BreakerCalls.Interval.of(counts);
    BreakerCalls.Interval second = calls.lastSecond(breaker.name());
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("name", breaker.name());
    view.put("state", breaker.state().name());
    view.put("rejecting", breaker.isRejectingCalls());
    view.put("failureRate", second == null ? null : second.failureRate());
    // Slow calls are counted inside the breaker's own window, which it does not expose.
    view.put("slowRate", null);
    view.put("calls", total == null ? 0 : total.calls());
    view.put("failed", total == null ? 0 : total.failed());
    view.put("rejected", total == null ? 0 : total.rejected());
    view.put("lastSecond", second == null ? null : second.view());
    return view;
  }

  List<Object> bulkheads() {
    List<Object> list = new ArrayList<>();
    for (Bulkhead bulkhead : brownout.bulkheads()) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("name", bulkhead.name());
      view.put("maxConcurrentCalls", bulkhead.maxConcurrentCalls());
      view.put("available", bulkhead.availablePermits());
      view.put("active", bulkhead.maxConcurrentCalls() - bulkhead.availablePermits());
      list.add(view);
    }
    return list;
  }

  List<Object> executors() {
    List<Object> list = new ArrayList<>();
    for (BoundedExecutor executor : brownout.executors()) {
      List<Object> partitions = new ArrayList<>();
      for (String name : executor.config().partitions().keySet()) {
        partitions.add(lane(name, executor.partition(name)));
      }
      Map<String, Object> view = lane(executor.name(), executor);
      view.put("partitions", partitions);
      list.add(view);
    }
    return list;
  }

  private static Map<String, Object> lane(String name, BoundedExecutor lane) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", name);
    view.put("active", lane.running());
    view.put("queued", lane.queued());
    view.put("capacity", lane.maxRunning() + lane.maxQueued());
    view.put("maxRunning", lane.maxRunning());
    view.put("maxQueued", lane.maxQueued());
    view.put("saturation", lane.saturation());
    view.put("rejected", lane.rejected());
    return view;
  }

  List<Object> limiters() {
    List<Object> list = new ArrayList<>();
    for (Limiter limiter : brownout.limiters()) {
      List<Object> partitions = new ArrayList<>();
      for (Limiter.Partition partition : limiter.partitions()) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", partition.name());
        view.put("share", partition.share());
        view.put("inFlight", partition.inFlight());
        view.put("refused", partition.refused());
        partitions.add(view);
      }
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("name", limiter.name());
      view.put("limit", limiter.limit());
      view.put("inFlight", limiter.inFlight());
      view.put("pressure", limiter.pressure());
      view.put("partitions", partitions);
      list.add(view);
    }
    return list;
  }

  List<Object> incidents() {
    List<Object> list = new ArrayList<>();
    if (incidents != null) {
      for (Incident incident : incidents.recent()) {
        list.add(incident(incident));
      }
    }
    return list;
  }

  long incidentTotal() {
    return incidents == null ? 0 : incidents.total();
  }

  static Map<String, Object> incident(Incident incident) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", incident.id());
    view.put("time", incident.time().toString());
    view.put("kind", incident.throwableClass());
    view.put("summary", incident.throwableClass() + " at " + incident.place());
    view.put("place", incident.place());
    view.put("outcome", incident.outcome().name());
    return view;
  }

  /** The features' audit history and the admin's breaker actions, oldest first. */
  List<Object> history() {
    List<Map<String, @Nullable Object>> entries = new ArrayList<>();
    for (SwitchChange change : features.history()) {
      entries.add(change(change));
    }
    entries.addAll(audit.breakerActions());
    entries.sort(Comparator.comparing(entry -> Instant.parse(String.valueOf(entry.get("time")))));
    return new ArrayList<>(entries);
  }

  static Map<String, @Nullable Object> change(SwitchChange change) {
    boolean level = change.feature().equals(Features.LEVEL);
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("time", change.at().toString());
    view.put("kind", level ? "level" : "feature");
    view.put("feature", change.feature());
    view.put("from", change.from());
    view.put("to", change.to());
    view.put("reason", change.cause());
    Switch setting = change.setting();
    view.put("by", setting != null && setting.by() != null ? setting.by() : change.source());
    view.put("source", change.source());
    return view;
  }

  private static @Nullable String text(@Nullable Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
