package dev.brownout.demo;

import dev.brownout.core.Limiter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scenario's load step, measured from the run itself: the service's capacity while it is
 * healthy (so that the step is a multiple of what this machine serves, not a fixed rate), the surge
 * of prefetches that takes the offered load to {@link Scenario#STEP_LOAD} times that, and what the
 * clients and the limiter saw while it lasted.
 */
final class StepProbe {

  private static final List<String> PARTS =
      List.of(Downstreams.COMMENTS, Downstreams.AVATARS, Downstreams.RECOMMENDATIONS);

  private final QaService service;
  private final LoadDriver load;

  private FanoutUse.Reading measureFrom;
  private long measureFromMillis;
  private double capacity;
  private double viewsPerSecond;
  private double offered;
  private long startMillis = -1;
  private long endMillis = -1;
  private LoadDriver.Tally views;
  private LoadDriver.Tally prefetches;
  private Map<String, Long> refused;

  StepProbe(QaService service, LoadDriver load) {
    this.service = service;
    this.load = load;
  }

  void startMeasuring(Duration elapsed) {
    if (measureFrom == null) {
      measureFrom = service.fanoutUse().read();
      measureFromMillis = elapsed.toMillis();
    }
  }

  /**
   * Ends the measurement: the capacity is the pages a second at which the busiest of the fan-out's
   * threads would never rest, at the thread time a page took meanwhile; the views a second are what
   * the clients asked for.
   */
  void measured(Duration elapsed) {
    startMeasuring(elapsed);
    FanoutUse.Reading use = service.fanoutUse().read().since(measureFrom);
    double seconds = Math.max(1, elapsed.toMillis() - measureFromMillis) / 1000.0;
    capacity = use.capacityPerSecond(PARTS, service::fanoutThreads);
    viewsPerSecond = use.pages() / seconds;
  }

  /** Starts the surge: prefetches on top of the views, to the step's load in all; returns it. */
  double startStep(Duration elapsed) {
    startMillis = elapsed.toMillis();
    views = load.views();
    prefetches = load.prefetches();
    refused = refused();
    offered = Scenario.STEP_LOAD * capacity;
    load.surge(Math.max(0, offered - viewsPerSecond));
    return offered;
  }

  void endStep(Duration elapsed) {
    load.surge(0);
    endMillis = elapsed.toMillis();
    views = load.views().since(views);
    prefetches = load.prefetches().since(prefetches);
    Map<String, Long> now = refused();
    now.replaceAll((partition, count) -> count - refused.getOrDefault(partition, 0L));
    refused = now;
  }

  double capacityPerSecond() {
    return capacity;
  }

  /** The step as measured, or null if the run ended before it began. */
  Scenario.Step step(List<Scenario.LevelChange> levelChanges, long firstViewRefusalMillis) {
    if (endMillis < 0) {
      return null;
    }
    return new Scenario.Step(
        startMillis,
        endMillis,
        capacity,
        offered,
        levelChanges,
        views,
        prefetches,
        refused,
        firstViewRefusalMillis);
  }

  private Map<String, Long> refused() {
    Map<String, Long> counts = new TreeMap<>();
    for (Limiter.Partition partition : service.limiter().partitions()) {
      if (!partition.name().isEmpty()) {
        counts.put(partition.name(), partition.refused());
      }
    }
    return counts;
  }
}
