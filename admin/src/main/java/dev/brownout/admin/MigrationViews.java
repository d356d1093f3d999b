package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.FeatureState;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.ExperimentReport;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftDecision;
import dev.brownout.migration.ShiftStatus;
import dev.brownout.migration.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@link MigrationSection} over the migration module; loaded only when that module is present. */
final class MigrationViews implements MigrationSection {

  /** The decisions a shift's view carries, newest last: the page shows why, not the whole log. */
  static final int DECISIONS_SHOWN = 20;

  private static final List<String> ACTIONS =
      List.of("start", "pause", "resume", "promote", "rollback");

  /**
   * The actions each state takes; the others answer 409 rather than a 200 for nothing (a pause of a
   * shift that is not shifting) or an undone migration (a resume of a promoted one). The page
   * offers the same.
   */
  private static final Map<Shift.State, List<String>> ALLOWED =
      Map.of(
          Shift.State.COMPARING, List.of("start", "promote", "rollback"),
          Shift.State.SHIFTING, List.of("pause", "promote", "rollback"),
          Shift.State.PAUSED, List.of("resume", "promote", "rollback"),
          Shift.State.ROLLED_BACK, List.of("resume", "promote"),
          Shift.State.PROMOTED, List.of("rollback"),
          Shift.State.DONE, List.of());

  private final Brownout brownout;
  private final AdminAudit audit;

  /** What each shift looked like at the last tick; the tick thread's only. */
  private final Map<String, String> lastSeen = new HashMap<>();

  MigrationViews(Brownout brownout, AdminAudit audit) {
    this.brownout = brownout;
    this.audit = audit;
  }

  @Override
  public List<Object> experiments() {
    List<Object> list = new ArrayList<>();
    for (Experiment<?> experiment : Experiment.all(brownout)) {
      list.add(experiment(experiment));
    }
    return list;
  }

  private static Map<String, @Nullable Object> experiment(Experiment<?> experiment) {
    FeatureState sampling = experiment.feature().state();
    Map<String, Object> verdicts = new LinkedHashMap<>();
    for (Map.Entry<Verdict, Long> count : experiment.verdicts().entrySet()) {
      verdicts.put(count.getKey().name(), count.getValue());
    }
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("name", experiment.name());
    view.put("sampling", sampling.effective());
    view.put("sampledPercent", sampling.enabledPercent());
    view.put("verdicts", verdicts);
    view.put("noise", experiment.cancelsNoise() ? noise(experiment.report()) : null);
    return view;
  }

  private static Map<String, Object> noise(ExperimentReport report) {
    List<Object> paths = new ArrayList<>();
    for (ExperimentReport.PathReport path : report.paths()) {
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("path", path.path());
      view.put("finding", path.finding().name());
      view.put("oldVsNew", path.oldVsNew());
      view.put("oldVsOld", path.oldVsOld());
      view.put("samples", path.samples());
      paths.add(view);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("compared", report.compared());
    view.put("noiseSamples", report.noiseSamples());
    view.put("noiseSamplesLost", report.noiseSamplesLost());
    view.put("paths", paths);
    return view;
  }

  @Override
  public List<Object> shifts() {
    List<Object> list = new ArrayList<>();
    for (Shift<?> shift : Shift.all(brownout)) {
      list.add(shift(shift));
    }
    return list;
  }

  private static Map<String, @Nullable Object> shift(Shift<?> shift) {
    ShiftStatus status;
    List<ShiftDecision> decisions;
    synchronized (shift) { // the shift's checks change its decisions under its monitor
      status = shift.status();
      decisions = shift.decisions();
    }
    List<Object> recent = new ArrayList<>();
    for (ShiftDecision decision :
        decisions.subList(Math.max(0, decisions.size() - DECISIONS_SHOWN), decisions.size())) {
      recent.add(decision(decision));
    }
    Map<String, @Nullable Object> view = new LinkedHashMap<>();
    view.put("name", status.name());
    view.put("state", status.state().name());
    view.put("step", status.step());
    view.put("share", status.share());
    view.put("epoch", status.epoch());
    view.put("oldCalls", status.oldCalls());
    view.put("oldErrors", status.oldErrors());
    view.put("newCalls", status.newCalls());
    view.put("newErrors", status.newErrors());
    view.put("fellBack", status.fellBack());
    view.put("safeToRetire", status.safeToRetire());
    ShiftDecision last = status.lastDecision();
    view.put("lastDecision", last == null ? null : decision(last));
    view.put("decisionCount", decisions.size());
    view.put("decisions", recent);
    return view;
  }

  private static Map<String, Object> decision(ShiftDecision decision) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("kind", decision.kind().name());
    view.put("reason", decision.reason());
    view.put("step", decision.step());
    view.put("look", decision.look());
    view.put("oldCalls", decision.oldCalls());
    view.put("newCalls", decision.newCalls());
    view.put("oldErrorRate", decision.oldErrorRate());
    view.put("newErrorRate", decision.newErrorRate());
    view.put("z", decision.z());
    view.put("zBound", decision.zBound());
    view.put("oldLatencyMillis", millis(decision.oldLatency()));
    view.put("newLatencyMillis", millis(decision.newLatency()));
    view.put("latencyRatio", decision.latencyRatio());
    view.put("text", decision.describe());
    return view;
  }

  private static double millis(Duration duration) {
    return duration.toNanos() / 1e6;
  }

  @Override
  public Map<String, @Nullable Object> shiftAction(
      String name, Map<String, @Nullable Object> body) {
    Shift<?> shift =
        Shift.find(brownout, name)
            .orElseThrow(() -> new AdminProblem(404, "No such shift", "no shift '" + name + "'"));
    Writes.only(body, Set.of("action", "reason"));
    String reason = Writes.reason(body);
    String action = Writes.text(body, "action");
    if (!ACTIONS.contains(action)) {
      throw Writes.bad("action", action, "must be one of " + String.join(", ", ACTIONS));
    }
    String from;
    synchronized (shift) { // no check or other action between the state's test and the action
      ShiftStatus before = shift.status();
      from = where(before);
      if (!ALLOWED.getOrDefault(before.state(), List.of()).contains(action)) {
        throw new AdminProblem(
            409,
            "Shift conflict",
            "shift '"
                + name
                + "' is "
                + before.state()
                + ": it takes "
                + (ALLOWED.get(before.state()).isEmpty()
                    ? "no action"
                    : String.join(", ", ALLOWED.get(before.state()))));
      }
      try {
        switch (action) {
          case "start" -> shift.start(reason, Writes.BY);
          case "pause" -> shift.pause(reason, Writes.BY);
          case "resume" -> shift.resume(reason, Writes.BY);
          case "promote" -> shift.promote(reason, Writes.BY);
          default -> shift.rollBack(reason, Writes.BY);
        }
      } catch (IllegalStateException e) {
        throw new AdminProblem(409, "Shift conflict", e.getMessage());
      }
    }
    String to = where(shift.status()) + " (" + action + ")";
    audit.write("shift", name, from, to, reason, Writes.BY);
    return shift(shift);
  }

  private static String where(ShiftStatus status) {
    return status.state() + " at " + status.share() + "%";
  }

  @Override
  public void tick(EventHub hub) {
    for (Shift<?> shift : Shift.all(brownout)) {
      ShiftStatus status = shift.status();
      // The last decision's identity, not the history's size: the history is capped.
      String seen =
          status.state()
              + " "
              + status.share()
              + " "
              + System.identityHashCode(status.lastDecision());
      if (!seen.equals(lastSeen.put(shift.name(), seen))) {
        Map<String, @Nullable Object> event = shift(shift);
        event.put("time", Instant.now().toString());
        hub.publish("shift", Json.write(event));
      }
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> shifts = new LinkedHashMap<>();
    for (Shift<?> shift : Shift.all(brownout)) {
      shifts.put(shift.name(), Map.of("state", shift.state().name(), "share", shift.share()));
    }
    return shifts;
  }
}
