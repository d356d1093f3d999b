package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DimmerTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final LevelController controller =
      LevelController.builder(LoadSignal.of("load", () -> 0), 100)
          .raiseAfter(Duration.ofSeconds(5))
          .lowerBelow(50)
          .lowerAfter(Duration.ofSeconds(30))
          .maxLevel(2)
          .build();
  private final Dimmer dimmer = new Dimmer();

  @Test
  void risesOneLevelAfterEachSustainedOverload() {
    assertThat(dimmer.steer(controller, 150, 0)).isNull();
    assertThat(dimmer.steer(controller, 150, 4 * SECOND)).isNull();

    Dimmer.Step step = dimmer.steer(controller, 150, 5 * SECOND);

    assertThat(step.level()).isEqualTo(1);
    assertThat(step.reason()).isEqualTo("load = 150.0, over the target 100.0");
    assertThat(dimmer.steer(controller, 150, 9 * SECOND)).isNull();
    assertThat(dimmer.steer(controller, 150, 10 * SECOND).level()).isEqualTo(2);
    assertThat(dimmer.steer(controller, 150, 60 * SECOND)).as("never above maxLevel").isNull();
    assertThat(dimmer.level()).isEqualTo(2);
  }

  @Test
  void fallsOneLevelAfterASustainedCalm() {
    dimmer.set(2);
    dimmer.steer(controller, 10, 0);

    assertThat(dimmer.steer(controller, 10, 30 * SECOND).level()).isEqualTo(1);
    assertThat(dimmer.steer(controller, 10, 60 * SECOND).level()).isZero();
    assertThat(dimmer.steer(controller, 10, 120 * SECOND)).isNull();
  }

  @Test
  void aLoadBetweenTheThresholdsRestartsBothWaits() {
    dimmer.steer(controller, 150, 0);
    dimmer.steer(controller, 75, 4 * SECOND);

    assertThat(dimmer.steer(controller, 150, 5 * SECOND)).isNull();
    assertThat(dimmer.steer(controller, 150, 9 * SECOND)).isNull();
    assertThat(dimmer.steer(controller, 150, 10 * SECOND).level()).isEqualTo(1);
  }

  @Test
  void aNewControllerStartsWithFreshWaits() {
    dimmer.steer(controller, 150, 0);

    dimmer.control(controller);

    assertThat(dimmer.steer(controller, 150, 5 * SECOND)).isNull();
    assertThat(dimmer.controller()).isSameAs(controller);
  }

  @Test
  void aSignalThatThrowsReadsNaNAndMovesNothing() {
    double reading =
        Dimmer.read(
            LoadSignal.of(
                "broken",
                () -> {
                  throw new IllegalStateException("no data");
                }));

    assertThat(reading).isNaN();
    assertThat(dimmer.steer(controller, reading, 0)).isNull();
    assertThat(dimmer.level()).isZero();
  }
}
