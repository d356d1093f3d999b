package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenario's load step, held to what its summary claims, from the run's own numbers (the run of
 * {@link DemoScenarioTest}: 60 s, {@value DemoScenarioTest#CLIENTS} clients; the step offers
 * {@value Scenario#STEP_LOAD} times the capacity measured while the service was healthy, so a slow
 * machine gets a smaller step, never one within its capacity).
 *
 * <p>The core success rate of the views during the step must be 100 %: the threshold is all of
 * them, because nothing in the design lets a view lose its core. The core is read from the
 * service's own store; a view is refused only when the limiter is at its limit and the views in
 * flight hold all of their guaranteed share, {@value QaService#VIEWS_SHARE} of a limit that never
 * falls under 16, which is 12 slots, and the {@value DemoScenarioTest#CLIENTS} clients never have
 * more than 4 views in flight. Prefetches have no such guarantee: they are what the limiter
 * refuses.
 */
class DemoLoadStepTest {

  private static final List<String> BY_PRIORITY =
      List.of("extras.avatars", "extras.recommendations", "extras.comments");

  @Test
  void theLevelRisesDuringTheStep() throws Exception {
    Scenario.Step step = DemoScenarioTest.run().step();
    String output = DemoScenarioTest.output();

    assertThat(step).as(output).isNotNull();
    assertThat(step.levelDuringStep())
        .as(output)
        .anyMatch(c -> Integer.parseInt(c.to()) > Integer.parseInt(c.from()));
    step.levelDuringStep().forEach(c -> assertThat(output).contains(c + "  (step)"));
  }

  /**
   * The level sheds by priority: avatars (P4), recommendations (P3), comments (P2), in that order,
   * each only if it was still on (a part whose breaker already switched it off is not shed again).
   */
  @Test
  void theLowestPriorityFeaturesAreShedFirst() throws Exception {
    Scenario.Step step = DemoScenarioTest.run().step();
    String output = DemoScenarioTest.output();

    List<String> shed = step.shedDuringStep().stream().map(Scenario.LevelChange::what).toList();
    assertThat(shed).as(output).isNotEmpty();
    assertThat(shed)
        .as("P4, then P3, then P2: " + output)
        .isSubsetOf(BY_PRIORITY)
        .doesNotHaveDuplicates()
        .isSortedAccordingTo(Comparator.comparingInt(BY_PRIORITY::indexOf));
  }

  @Test
  void optionalFeaturesAreShedBeforeAnyViewIsRefused() throws Exception {
    Scenario.Step step = DemoScenarioTest.run().step();
    String output = DemoScenarioTest.output();

    assertThat(step.refusedByPartition().get(QaService.PREFETCH))
        .as("the step goes beyond what the limiter admits: " + output)
        .isPositive();
    if (step.firstViewRefusalMillis() >= 0) {
      assertThat(step.shedDuringStep()).as(output).isNotEmpty();
      assertThat(step.firstViewRefusalMillis())
          .as(output)
          .isGreaterThan(step.shedDuringStep().get(0).atMillis());
    }
    assertThat(output)
        .contains(
            "first view refused                 "
                + (step.firstViewRefusalMillis() < 0 ? "never" : ""));
  }

  @Test
  void everyViewKeepsItsCoreDuringTheStep() throws Exception {
    Scenario.Step step = DemoScenarioTest.run().step();
    String output = DemoScenarioTest.output();

    LoadDriver.Tally views = step.views();
    assertThat(views.requests()).as(output).isPositive();
    assertThat(views.coreSuccessRate()).as(output).isEqualTo(1.0);
    assertThat(output)
        .contains(
            "core success rate of views         100.00 % ("
                + views.coreServed()
                + " of "
                + (views.requests() - views.crashAnswered()));
  }
}
