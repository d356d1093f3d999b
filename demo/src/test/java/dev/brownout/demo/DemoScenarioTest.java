package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.CircuitBreaker.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scripted scenario, for the demo's own minute, held to its invariants. One run serves every
 * test: the outage's, the load step's ({@link DemoLoadStepTest}) and the migration's ({@link
 * DemoMigrationTest}).
 */
class DemoScenarioTest {

  /**
   * The demo's own length. Rollouts freeze for the comments spike and the prefetch surge, and the
   * comments migration needs the calm between them: at 40 s that was 6 s after the healing, less up
   * to 4 s while the comments breaker, whose probe may fall just before the healing, waits again;
   * v2.2's two steps take about 6 s at these clients.
   */
  static final Scenario.Timeline TIMELINE = Scenario.Timeline.lasting(Duration.ofSeconds(60));

  static final int CLIENTS = 4;

  private static Scenario.Result result;
  private static String output;

  /** The run, made once. */
  static synchronized Scenario.Result run() throws Exception {
    if (result == null) {
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
        result = new Scenario().run(TIMELINE, CLIENTS, out);
        Scenario.printSummary(result, out);
      }
      output = captured.toString(StandardCharsets.UTF_8);
      System.out.println(output);
    }
    return result;
  }

  /** What the run printed. */
  static String output() throws Exception {
    run();
    return output;
  }

  @BeforeAll
  static void runTheScenario() throws Exception {
    run();
  }

  @Test
  void theCoreSurvivesTheOutageAndTheBreakerOpensThenClosesAfterHealing() throws Exception {
    Scenario.Timeline timeline = TIMELINE;
    Scenario.Result result = run();
    String output = output();

    assertThat(result.unexpectedSamples()).as(output).isEmpty();
    assertThat(result.unexpected()).isZero();
    assertThat(result.requests()).isPositive();
    assertThat(result.coreServed())
        .as("every view but the crash route's and those refused at the limit has its core")
        .isEqualTo(result.requests() - result.crashAnswered() - result.step().views().refused());
    assertThat(result.crashAnswered()).isPositive();
    assertThat(result.incidentsRecovered()).isGreaterThanOrEqualTo(result.crashAnswered());

    assertThat(result.degradedParts().keySet())
        .as(output)
        .anyMatch(
            k -> k.equals("recommendations last-good") || k.equals("recommendations default"));

    List<Scenario.Transition> recommendations =
        result.transitions().stream().filter(t -> t.breaker().equals("recommendations")).toList();
    assertThat(recommendations).as(output).isNotEmpty();
    Scenario.Transition opened = recommendations.get(0);
    assertThat(opened.from()).isEqualTo(State.CLOSED);
    assertThat(opened.to()).isEqualTo(State.OPEN);
    assertThat(opened.atMillis())
        .as(output)
        .isBetween(timeline.outage().toMillis(), timeline.heal().toMillis());
    Scenario.Transition last = recommendations.get(recommendations.size() - 1);
    assertThat(last.to()).as(output).isEqualTo(State.CLOSED);
    assertThat(last.atMillis()).isGreaterThan(timeline.heal().toMillis());
    assertThat(result.finalBreakerStates()).containsEntry("recommendations", "CLOSED");

    assertThat(output)
        .contains("Summary", "core success rate", "5xx not from a recovered incident    0");
  }
}
