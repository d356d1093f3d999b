package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TriggerStatesTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final Trigger queue =
      Trigger.above("queue depth", () -> 0, 10, 5).holdFor(Duration.ofSeconds(3));
  private final Trigger errors = Trigger.above("errors", () -> 0, 1, 1).holdFor(Duration.ZERO);
  private final TriggerStates states = new TriggerStates(List.of(queue, errors));

  @Test
  void aTriggerFiresAtItsThresholdAndClearsBelowTheOtherAfterItsHold() {
    assertThat(states.update(Map.of(queue, 10.0), 0)).isTrue();
    assertThat(states.firing()).isEqualTo("queue depth");

    assertThat(states.update(Map.of(queue, 4.0), 2 * SECOND)).as("still held").isFalse();
    assertThat(states.update(Map.of(queue, 6.0), 3 * SECOND)).as("not below clearBelow").isFalse();
    assertThat(states.update(Map.of(queue, 4.0), 4 * SECOND)).isTrue();
    assertThat(states.firing()).isNull();
  }

  @Test
  void theFirstFiringTriggerIsTheCause() {
    states.update(Map.of(queue, 20.0, errors, 1.0), 0);

    assertThat(states.firing()).isEqualTo("queue depth");
    states.update(Map.of(queue, 0.0, errors, 1.0), 5 * SECOND);
    assertThat(states.firing()).isEqualTo("errors");
  }

  @Test
  void noReadingCountsAsClear() {
    states.update(Map.of(errors, 1.0), 0);

    assertThat(states.update(Map.of(), SECOND)).isTrue();
    assertThat(states.firing()).isNull();
  }

  @Test
  void aTriggerThatThrowsReadsNaN() {
    Trigger broken =
        Trigger.above(
            "broken",
            () -> {
              throw new IllegalStateException("no data");
            },
            1,
            0);

    assertThat(TriggerStates.read(broken)).isNaN();
  }
}
