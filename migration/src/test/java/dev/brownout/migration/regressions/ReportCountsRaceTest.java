package dev.brownout.migration.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.ExperimentReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, demo finding: a report taken while calls were being compared said that a path differed
 * in more calls than were compared ("213 of 210"), and a path that differs on every call was then
 * UNSETTLED instead of NOISE: the report read the number of compared calls before the paths'
 * counts, which each call raises after it. It now reads the paths' counts first.
 */
class ReportCountsRaceTest {

  record Page(String body, long renderedAt) {}

  @Test
  void noPathDiffersInMoreCallsThanWereCompared() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Feature sampled = Features.of(brownout).define("race").initially(Switch.on()).register();
      Experiment<Page> experiment =
          Experiment.<Page>builder(brownout, sampled).onCallerThread().noise(1.0).build();
      AtomicLong clock = new AtomicLong();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> callers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread caller =
            new Thread(
                () -> {
                  while (running.get()) {
                    experiment.run(
                        () -> new Page("a", clock.incrementAndGet()),
                        () -> new Page("a", clock.incrementAndGet()));
                  }
                });
        caller.start();
        callers.add(caller);
      }
      try {
        for (int i = 0; i < 20_000; i++) {
          ExperimentReport report = experiment.report();
          for (ExperimentReport.PathReport path : report.paths()) {
            assertThat(path.oldVsNew())
                .as(report.toString())
                .isLessThanOrEqualTo(report.compared());
            assertThat(path.oldVsOld())
                .as(report.toString())
                .isLessThanOrEqualTo(report.noiseSamples());
          }
        }
      } finally {
        running.set(false);
        for (Thread caller : callers) {
          caller.join();
        }
      }
    }
  }
}
