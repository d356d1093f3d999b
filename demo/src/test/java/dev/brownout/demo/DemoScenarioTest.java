package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.CircuitBreaker.State;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scripted scenario, shortened to 20 seconds, held to its invariants. */
class DemoScenarioTest {

  @Test
  void theCoreSurvivesTheOutageAndTheBreakerOpensThenClosesAfterHealing() throws Exception {
    Scenario.Timeline timeline = Scenario.Timeline.lasting(Duration.ofSeconds(20));
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Scenario.Result result;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      result = new Scenario().run(timeline, 4, out);
      Scenario.printSummary(result, out);
    }
    String output = captured.toString(StandardCharsets.UTF_8);

    assertThat(result.unexpectedSamples()).as(output).isEmpty();
    assertThat(result.unexpected()).isZero();
    assertThat(result.requests()).isPositive();
    assertThat(result.coreServed())
        .as("every page but the crash route's has its core")
        .isEqualTo(result.requests() - result.crashAnswered());
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
        .contains(
            "Summary", "core success rate", "100.00 %", "5xx not from a recovered incident    0");
  }
}
