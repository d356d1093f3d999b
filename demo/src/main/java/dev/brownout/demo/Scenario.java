package dev.brownout.demo;

import dev.brownout.core.Brownout;
import dev.brownout.core.BrownoutListener;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.migration.ExperimentReport;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftDecision;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The scripted outage: load from the built-in client, a recommendations outage and a latency spike
 * in comments midway, then healing, then a load step beyond the service's capacity; a live progress
 * line, and a summary at the end.
 */
final class Scenario {

  /**
   * When things happen, as shares of the run: the comments experiment from the start, the first
   * shift at 10 % (the regressed build must be rolled back before the comments spike slows both
   * builds alike), outage at 20 %, spike at 30 %, healed at 50 %, a load step from 65 % to 85 %
   * (long enough for the level to take a step or two: each waits for the limiter to measure the
   * lighter pages).
   */
  record Timeline(
      Duration total,
      Duration shift,
      Duration outage,
      Duration spike,
      Duration heal,
      Duration step,
      Duration stepEnd) {
    static Timeline lasting(Duration total) {
      long millis = total.toMillis();
      return new Timeline(
          total,
          Duration.ofMillis(millis / 10),
          Duration.ofMillis(millis / 5),
          Duration.ofMillis(millis * 3 / 10),
          Duration.ofMillis(millis / 2),
          Duration.ofMillis(millis * 13 / 20),
          Duration.ofMillis(millis * 17 / 20));
    }
  }

  /**
   * How many times the measured capacity the load step offers: enough that shedding every optional
   * part is needed, and well within what the built-in client sends on a 2-core machine.
   */
  static final double STEP_LOAD = 2.5;

  /** A change of the brownout level, or a feature it shed or restored, with when it happened. */
  record LevelChange(long atMillis, String what, String from, String to) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%5.1fs %s %s -> %s", atMillis / 1000.0, what, from, to);
    }
  }

  /**
   * The load step: when, the capacity it was measured against and the load it offered, what the
   * level did over the run, and what the clients and the limiter saw during the step.
   */
  record Step(
      long startMillis,
      long endMillis,
      double capacityPerSecond,
      double offeredPerSecond,
      List<LevelChange> levelChanges,
      LoadDriver.Tally views,
      LoadDriver.Tally prefetches,
      Map<String, Long> refusedByPartition,
      long firstViewRefusalMillis) {

    /** The level's changes (not the features') that happened during the step. */
    List<LevelChange> levelDuringStep() {
      return levelChanges.stream()
          .filter(c -> c.what().equals("level") && during(c.atMillis()))
          .toList();
    }

    /** The features the level shed during the step, in order. */
    List<LevelChange> shedDuringStep() {
      return levelChanges.stream()
          .filter(c -> !c.what().equals("level") && c.to().equals("OFF") && during(c.atMillis()))
          .toList();
    }

    boolean during(long atMillis) {
      return atMillis >= startMillis && atMillis <= endMillis;
    }
  }

  /** A breaker transition, with when it happened. */
  record Transition(
      long atMillis, String breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%5.1fs %s %s -> %s", atMillis / 1000.0, breaker, from, to);
    }
  }

  /** What the run did. */
  record Result(
      long requests,
      long coreServed,
      long crashAnswered,
      long unexpected,
      List<String> unexpectedSamples,
      Map<String, Long> degradedParts,
      List<Transition> transitions,
      Map<String, Long> executorRejections,
      long incidentsRecovered,
      Map<String, String> finalBreakerStates,
      Step step,
      Migration migration) {}

  /**
   * What the comments backend's migration found and did: the experiment's report, and each shift's
   * build, where it ended, and its decisions.
   */
  record Migration(ExperimentReport experiment, List<ShiftRun> shifts) {

    /** The shift to {@code build}, if it started. */
    Optional<ShiftRun> shift(CommentsBuild build) {
      return shifts.stream().filter(s -> s.build() == build).findFirst();
    }
  }

  /** One shift: its build, the state it ended in, and every decision its judge took. */
  record ShiftRun(CommentsBuild build, Shift.State state, List<ShiftDecision> decisions) {

    /** The decisions that changed something: each step taken and the rollback. */
    List<ShiftDecision> actions() {
      return decisions.stream()
          .filter(
              d ->
                  d.kind() == ShiftDecision.Kind.ADVANCE || d.kind() == ShiftDecision.Kind.ROLLBACK)
          .toList();
    }
  }

  private final List<Transition> transitions = new ArrayList<>();
  private final Set<String> told = new HashSet<>();

  /** The event rollouts are frozen for, or null: the shift under way is paused, as is a new one. */
  private String frozenFor;

  private long startNanos;
  private Instant startInstant;

  /** Listens to breaker transitions; give it to the runtime's builder. */
  BrownoutListener listener() {
    return new BrownoutListener() {
      @Override
      public void onStateTransition(
          CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
        synchronized (transitions) {
          transitions.add(
              new Transition(
                  TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                  breaker.name(),
                  from,
                  to));
        }
      }
    };
  }

  Result run(Timeline timeline, int clients, PrintStream out) throws Exception {
    startNanos = System.nanoTime();
    startInstant = Instant.now();
    Brownout brownout = Brownout.builder().listener(listener()).build();
    try (brownout;
        Downstreams downstreams = new Downstreams();
        QaService service = new QaService(brownout, downstreams, 0);
        LoadDriver load = new LoadDriver(service.uri(), clients)) {
      out.println(
          "Q&A service on "
              + service.uri()
              + " (admin token "
              + service.token()
              + "), "
              + clients
              + " clients, "
              + timeline.total().toSeconds()
              + " s:");
      out.println(
          String.format(
              Locale.ROOT,
              "  at %ds recommendations go down, at %ds comments slow to 800 ms, at %ds both heal;"
                  + "%n  from %ds to %ds prefetches surge to %.1f x the measured capacity",
              timeline.outage().toSeconds(),
              timeline.spike().toSeconds(),
              timeline.heal().toSeconds(),
              timeline.step().toSeconds(),
              timeline.stepEnd().toSeconds(),
              STEP_LOAD));
      CommentsMigration migration = service.migration();
      migration.startExperiment("compare v2.0 with v1 on live reads");
      // The timeline runs from the first page, not from the runtime's start: building and warming
      // the service took a second, and four on a loaded machine, out of the experiment's share.
      startNanos = System.nanoTime();
      startInstant = Instant.now();
      load.start();
      boolean live = terminal();
      String phase = "healthy";
      ExperimentReport compared = null;
      StepProbe probe = new StepProbe(service, load);
      long end = startNanos + timeline.total().toNanos();
      while (System.nanoTime() < end) {
        TimeUnit.MILLISECONDS.sleep(
            Math.min(1000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        if (compared == null && elapsed.compareTo(timeline.shift()) >= 0) {
          migration.stopExperiment("compared: v2.0 orders some comments differently");
          compared = migration.report();
          note(out, live, elapsed, "comments experiment: " + summary(compared));
          migration.startShift(CommentsBuild.V2_1, "the order fixed in v2.1");
          note(out, live, elapsed, "comments v2.1 (order fixed) shifts in: 25 % of questions");
        }
        shiftNews(migration, out, live, elapsed);
        if (phase.equals("healthy") && elapsed.compareTo(timeline.outage().dividedBy(2)) >= 0) {
          probe.startMeasuring(elapsed); // after the first half, which warms the code up
        }
        if (phase.equals("healthy") && elapsed.compareTo(timeline.outage()) >= 0) {
          probe.measured(elapsed);
          downstreams.behaviour(Downstreams.RECOMMENDATIONS).set(Duration.ofMillis(5), 1.0);
          phase = "outage";
          note(out, live, elapsed, "recommendations downstream is down (every call fails)");
        }
        if (phase.equals("outage") && elapsed.compareTo(timeline.spike()) >= 0) {
          downstreams.behaviour(Downstreams.COMMENTS).set(Duration.ofMillis(800), 0);
          phase = "outage + spike";
          note(out, live, elapsed, "comments downstream slows to 800 ms (its timeout is 250 ms)");
          // An incident freezes rollouts: the slow store fails both builds alike, which says
          // nothing of v2, and the judge's ceiling would roll it back for the store's failures.
          frozenFor = "the incident";
        }
        if (phase.equals("outage + spike") && elapsed.compareTo(timeline.heal()) >= 0) {
          downstreams.heal();
          phase = "healed";
          note(out, live, elapsed, "both downstreams healed");
          thaw(migration, "the incident is over", out, live, elapsed);
        }
        if (phase.equals("healed") && elapsed.compareTo(timeline.step()) >= 0) {
          // The surge freezes rollouts too, before it starts: it slows both builds, and a loaded
          // machine's latency comes in lumps that the new path's 90th percentile, from a quarter
          // or a half of the reads, catches unlike the old one's; the judge would weigh the
          // surge, not v2.
          frozenFor = "the surge";
          hold(migration, out, live, elapsed);
          double offered = probe.startStep(elapsed);
          phase = "step";
          note(
              out,
              live,
              elapsed,
              String.format(
                  Locale.ROOT,
                  "prefetches surge: %.0f requests/s offered, %.1f x the capacity measured"
                      + " when healthy (%.0f pages/s)",
                  offered,
                  STEP_LOAD,
                  probe.capacityPerSecond()));
        }
        if (phase.equals("step") && elapsed.compareTo(timeline.stepEnd()) >= 0) {
          probe.endStep(elapsed);
          phase = "after the step";
          note(out, live, elapsed, "the surge ends: the clients' views alone");
          thaw(migration, "the surge is over", out, live, elapsed);
        }
        hold(migration, out, live, elapsed);
        out.print(progress(elapsed, load.window(), brownout, service) + (live ? "\r" : "\n"));
        out.flush();
      }
      if (phase.equals("step")) {
        probe.endStep(Duration.ofNanos(System.nanoTime() - startNanos));
      }
      if (compared == null) {
        compared = migration.report();
      }
      load.stop();
      out.println();
      Map<String, Long> rejections = new TreeMap<>();
      for (String partition :
          List.of(Downstreams.COMMENTS, Downstreams.AVATARS, Downstreams.RECOMMENDATIONS)) {
        rejections.put(partition, service.executorRejections(partition));
      }
      Map<String, String> breakerStates = new TreeMap<>();
      brownout.circuitBreakers().forEach(b -> breakerStates.put(b.name(), b.state().name()));
      List<Transition> seen;
      synchronized (transitions) {
        seen = List.copyOf(transitions);
      }
      return new Result(
          load.requests(),
          load.coreServed(),
          load.crashAnswered(),
          load.unexpected(),
          load.unexpectedSamples(),
          load.degradedParts(),
          seen,
          rejections,
          service.incidentsRecovered(),
          breakerStates,
          probe.step(levelChanges(Features.of(brownout)), millis(load.firstViewRefusalNanos())),
          new Migration(
              compared,
              migration.shifts().stream()
                  .map(
                      s ->
                          new ShiftRun(
                              CommentsMigration.buildOf(s.name()), s.state(), s.decisions()))
                  .toList()));
    }
  }

  /**
   * Tells what the shift under way did since the last tick, once: a rollback of v2.1, after which
   * its fix, v2.2, shifts in; the promotion of v2.2.
   */
  private void shiftNews(
      CommentsMigration migration, PrintStream out, boolean live, Duration elapsed) {
    Shift<CommentThread> shift = migration.currentShift().orElse(null);
    if (shift == null || !told.add(shift.name() + " " + shift.state())) {
      return;
    }
    CommentsBuild build = CommentsMigration.buildOf(shift.name());
    List<ShiftDecision> decisions = shift.decisions();
    String last = decisions.isEmpty() ? "" : ": " + decisions.get(decisions.size() - 1).reason();
    switch (shift.state()) {
      case ROLLED_BACK -> {
        note(out, live, elapsed, "comments " + build.version() + " rolled back by itself" + last);
        if (build == CommentsBuild.V2_1) {
          migration.startShift(CommentsBuild.V2_2, "v2.2 restores the lost index");
          note(out, live, elapsed, "comments v2.2 (index restored) shifts in: 25 % of questions");
        }
      }
      case PROMOTED ->
          note(out, live, elapsed, "comments " + build.version() + " promoted to every question");
      default -> {
        // shifting: its steps show in the summary
      }
    }
  }

  /** Pauses the shift under way while rollouts are frozen: it holds its step until the thaw. */
  private void hold(CommentsMigration migration, PrintStream out, boolean live, Duration elapsed) {
    if (frozenFor == null) {
      return;
    }
    migration
        .currentShift()
        .filter(shift -> shift.state() == Shift.State.SHIFTING)
        .ifPresent(
            shift -> {
              shift.pause("rollouts frozen for " + frozenFor);
              note(out, live, elapsed, "shift " + shift.name() + " paused for " + frozenFor);
            });
  }

  /** Ends a freeze: the paused shift goes on from its step, on fresh evidence. */
  private void thaw(
      CommentsMigration migration, String why, PrintStream out, boolean live, Duration elapsed) {
    frozenFor = null;
    migration
        .currentShift()
        .filter(shift -> shift.state() == Shift.State.PAUSED)
        .ifPresent(
            shift -> {
              shift.resume(why);
              note(out, live, elapsed, "shift " + shift.name() + " resumed");
            });
  }

  /** One line of an experiment's report: each path that differed, and what it is. */
  static String summary(ExperimentReport report) {
    String paths =
        report.paths().stream()
            .map(p -> p.path() + " " + p.finding())
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "%d reads compared, %d noise samples; %s",
        report.compared(),
        report.noiseSamples(),
        paths.isEmpty() ? "no difference" : paths);
  }

  private long millis(long nanoTime) {
    return nanoTime == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(nanoTime - startNanos);
  }

  /** The level's changes and the features the controller shed or restored, from the audit. */
  private List<LevelChange> levelChanges(Features features) {
    List<LevelChange> changes = new ArrayList<>();
    for (SwitchChange change : features.history()) {
      boolean level = change.feature().equals(Features.LEVEL);
      if (level || change.source().equals("controller")) {
        changes.add(
            new LevelChange(
                Duration.between(startInstant, change.at()).toMillis(),
                level ? "level" : change.feature(),
                change.from(),
                change.to()));
      }
    }
    return changes;
  }

  /** Whether standard output is a terminal, where the live line can redraw itself. */
  @SuppressWarnings(
      "SystemConsoleNull") // before JDK 22 a console exists only for a terminal; from 22 isTerminal
  // says
  private static boolean terminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  private static void note(PrintStream out, boolean live, Duration elapsed, String what) {
    out.print(
        (live ? "\n" : "") + String.format(Locale.ROOT, "[%s] >>> %s%n", clock(elapsed), what));
  }

  private static String clock(Duration elapsed) {
    return String.format(Locale.ROOT, "%02d:%02d", elapsed.toMinutes(), elapsed.toSecondsPart());
  }

  private static String progress(
      Duration elapsed, LoadDriver.Window window, Brownout brownout, QaService service) {
    String breakers =
        brownout.circuitBreakers().stream()
            .map(b -> b.name() + "=" + b.state())
            .sorted()
            .collect(Collectors.joining(" "));
    String degraded =
        Features.of(brownout).snapshot().values().stream()
            .filter(state -> QaService.isPart(state.feature()) && state.isDegraded())
            .map(FeatureState::feature)
            .collect(Collectors.joining(","));
    return String.format(
        Locale.ROOT,
        "[%s] %5.0f req/s  p50 %3d ms  p99 %4d ms | level %d, limit %2d, pressure %4.2f | %s |"
            + " degraded: %-40s"
            + " | incidents %d",
        clock(elapsed),
        window.perSecond(),
        window.p50Millis(),
        window.p99Millis(),
        Features.of(brownout).level(),
        service.limiter().limit(),
        service.limiter().pressure(),
        breakers,
        degraded.isEmpty() ? "none" : degraded,
        service.incidentsRecovered());
  }

  static void printSummary(Result r, PrintStream out) {
    out.println("Summary");
    out.println("-------");
    row(out, "requests", String.valueOf(r.requests()));
    long core = r.requests() - r.crashAnswered();
    row(
        out,
        "core success rate",
        String.format(
            Locale.ROOT,
            "%.2f %% (%d of %d pages had the question and its answers)",
            core == 0 ? 0.0 : 100.0 * r.coreServed() / core,
            r.coreServed(),
            core));
    out.println("degraded responses (part, served by):");
    if (r.degradedParts().isEmpty()) {
      out.println("  none");
    }
    r.degradedParts().forEach((part, count) -> row(out, "  " + part, String.valueOf(count)));
    out.println("breaker transitions:");
    if (r.transitions().isEmpty()) {
      out.println("  none");
    }
    r.transitions().forEach(t -> out.println("  " + t));
    row(out, "executor rejections", r.executorRejections().toString());
    row(
        out,
        "incidents recovered",
        r.incidentsRecovered()
            + " (the crash route answered problem+json 500 "
            + r.crashAnswered()
            + " times)");
    row(out, "5xx not from a recovered incident", String.valueOf(r.unexpected()));
    r.unexpectedSamples().forEach(s -> out.println("  unexpected: " + s));
    if (r.step() != null) {
      printStep(r.step(), out);
    }
    printMigration(r.migration(), out);
  }

  private static void printMigration(Migration migration, PrintStream out) {
    out.println("comments backend, v1 to v2:");
    ExperimentReport report = migration.experiment();
    row(out, "  experiment, v2.0 against v1", summary(report));
    for (ExperimentReport.PathReport path : report.paths()) {
      out.println(
          String.format(
              Locale.ROOT,
              "    %-28s %-9s differed in %d of %d v1/v2 reads, %d of %d v1/v1 reads",
              path.path(),
              path.finding(),
              path.oldVsNew(),
              report.compared(),
              path.oldVsOld(),
              report.noiseSamples()));
    }
    for (ShiftRun shift : migration.shifts()) {
      long looks = shift.decisions().size();
      row(
          out,
          "  shift to " + shift.build().version(),
          shift.state() + " (" + looks + " checks; steps and rollback:)");
      shift.actions().forEach(d -> out.println("    " + d.describe()));
    }
  }

  private static void printStep(Step step, PrintStream out) {
    out.println(
        String.format(
            Locale.ROOT,
            "load step, %.1fs to %.1fs:",
            step.startMillis() / 1000.0,
            step.endMillis() / 1000.0));
    row(
        out,
        "  offered",
        String.format(
            Locale.ROOT,
            "%.0f requests/s, %.1f x the %.0f pages/s measured when healthy",
            step.offeredPerSecond(),
            STEP_LOAD,
            step.capacityPerSecond()));
    out.println("  brownout level and the features it shed or restored (whole run):");
    if (step.levelChanges().isEmpty()) {
      out.println("    none");
    }
    step.levelChanges()
        .forEach(c -> out.println("    " + c + (step.during(c.atMillis()) ? "  (step)" : "")));
    LoadDriver.Tally views = step.views();
    LoadDriver.Tally prefetches = step.prefetches();
    row(
        out,
        "  refused at the limit, by partition",
        step.refusedByPartition()
            + String.format(
                Locale.ROOT,
                " (%d of %d views, %d of %d prefetches%s)",
                views.refused(),
                views.requests(),
                prefetches.refused(),
                prefetches.requests(),
                prefetches.notSent() == 0 ? "" : "; " + prefetches.notSent() + " not sent"));
    row(
        out,
        "  first view refused",
        step.firstViewRefusalMillis() < 0
            ? "never"
            : String.format(Locale.ROOT, "%.1fs", step.firstViewRefusalMillis() / 1000.0));
    long core = views.requests() - views.crashAnswered();
    row(
        out,
        "  core success rate of views",
        String.format(
            Locale.ROOT,
            "%.2f %% (%d of %d views had the question and its answers)",
            100.0 * views.coreSuccessRate(),
            views.coreServed(),
            core));
  }

  private static void row(PrintStream out, String label, String value) {
    out.println(String.format(Locale.ROOT, "%-36s %s", label, value));
  }
}
