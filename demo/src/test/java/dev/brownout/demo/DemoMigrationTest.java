package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.migration.ExperimentReport;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftDecision;
import org.junit.jupiter.api.Test;

/**
 * The comments backend's migration in the scenario, held to what its summary claims, from the run
 * of {@link DemoScenarioTest}: the experiment finds v2.0's ordering, not the rendering time; the
 * shift to v2.1 rolls back by itself for its latency; v2.2 is promoted step by step.
 */
class DemoMigrationTest {

  @Test
  void theExperimentFindsTheOrderingAndCountsTheRenderingTimeAsNoise() throws Exception {
    ExperimentReport report = DemoScenarioTest.run().migration().experiment();
    String output = DemoScenarioTest.output();

    assertThat(report.compared()).as(output).isPositive();
    assertThat(report.paths())
        .as(output)
        .anySatisfy(
            path -> {
              assertThat(path.path()).isEqualTo("comments[order]");
              assertThat(path.finding()).isEqualTo(ExperimentReport.Finding.REAL);
              assertThat(path.oldVsOld()).isZero();
            })
        .anySatisfy(
            path -> {
              assertThat(path.path()).isEqualTo("renderedAt");
              assertThat(path.finding()).isEqualTo(ExperimentReport.Finding.NOISE);
            })
        .allSatisfy(path -> assertThat(path.path()).isIn("comments[order]", "renderedAt"));
    assertThat(output).contains("comments[order] REAL", "renderedAt NOISE");
  }

  @Test
  void theRegressedBuildRollsBackForItsLatency() throws Exception {
    Scenario.ShiftRun shift =
        DemoScenarioTest.run().migration().shift(CommentsBuild.V2_1).orElseThrow();
    String output = DemoScenarioTest.output();

    assertThat(shift.state()).as(output).isEqualTo(Shift.State.ROLLED_BACK);
    ShiftDecision rollback = shift.actions().get(shift.actions().size() - 1);
    assertThat(rollback.kind()).isEqualTo(ShiftDecision.Kind.ROLLBACK);
    assertThat(rollback.reason()).as(output).startsWith("latency quantile 0.9");
    assertThat(rollback.newLatency()).isGreaterThan(rollback.oldLatency());
    assertThat(rollback.newErrorRate()).as("slower, not failing").isZero();
    assertThat(output).contains(rollback.describe());
  }

  @Test
  void theFixedBuildIsPromotedStepByStep() throws Exception {
    Scenario.ShiftRun shift =
        DemoScenarioTest.run().migration().shift(CommentsBuild.V2_2).orElseThrow();
    String output = DemoScenarioTest.output();

    assertThat(shift.state()).as(output).isIn(Shift.State.PROMOTED, Shift.State.DONE);
    assertThat(shift.actions())
        .as(output)
        .hasSize(2)
        .allSatisfy(d -> assertThat(d.kind()).isEqualTo(ShiftDecision.Kind.ADVANCE));
    shift.actions().forEach(d -> assertThat(output).contains(d.describe()));
  }
}
