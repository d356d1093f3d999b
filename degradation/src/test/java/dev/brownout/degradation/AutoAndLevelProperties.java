package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * AUTO follows its signal with the configured hysteresis, and the level controller, driven by a
 * synthetic load with a hand-driven clock, steps as specified and never turns a P0 feature off.
 */
class AutoAndLevelProperties {

  @Property(tries = 300)
  void autoFollowsItsSignalWithHysteresis(
      @ForAll("readings") List<Double> readings,
      @ForAll @IntRange(min = 0, max = 10) int holdSeconds,
      @ForAll @IntRange(min = 1, max = 5) int stepSeconds) {
    double fireAt = 0.8;
    double clearBelow = 0.5;
    AtomicReference<Double> signal = new AtomicReference<>(0.0);
    try (TestRuntime runtime = new TestRuntime()) {
      Feature feature =
          runtime
              .features
              .define("fanout")
              .trigger(
                  Trigger.above("saturation", signal::get, fireAt, clearBelow)
                      .holdFor(Duration.ofSeconds(holdSeconds)))
              .initially(Switch.auto())
              .register();
      boolean firing = false;
      long firingSince = 0;
      long now = 0;
      int restorations = 0;
      for (double reading : readings) {
        signal.set(reading);
        runtime.advance(Duration.ofSeconds(stepSeconds));
        now += stepSeconds;
        if (!firing && reading >= fireAt) {
          firing = true;
          firingSince = now;
        } else if (firing && reading < clearBelow && now - firingSince >= holdSeconds) {
          firing = false;
          restorations++;
        }
        assertThat(feature.isEnabled()).as("reading %s at %d s", reading, now).isEqualTo(!firing);
      }
      long restored = runtime.features.history().stream().filter(c -> c.to().equals("ON")).count();
      assertThat(restored).isEqualTo(restorations);
      if (holdSeconds > 0) {
        assertThat(restorations)
            .as("no flapping: at most one restoration per hold")
            .isLessThanOrEqualTo(1 + (int) (now / holdSeconds));
      }
    }
  }

  @Provide
  Arbitrary<List<Double>> readings() {
    return Arbitraries.oneOf(
            Arbitraries.doubles().between(0, 1), Arbitraries.of(0.5, 0.8, 0.49, 0.79))
        .list()
        .ofMaxSize(60);
  }

  @Property(tries = 300)
  void theControllerRaisesAndLowersTheLevelAsSpecifiedAndNeverShedsP0(
      @ForAll("loads") List<Double> loads,
      @ForAll @IntRange(min = 1, max = 4) int raiseAfter,
      @ForAll @IntRange(min = 1, max = 8) int lowerAfter,
      @ForAll @IntRange(min = 1, max = 4) int maxLevel) {
    double target = 100;
    double lowerBelow = 80;
    AtomicReference<Double> load = new AtomicReference<>(0.0);
    try (TestRuntime runtime = new TestRuntime()) {
      Features features = runtime.features;
      Feature core = features.define("answers").priority(Priority.P0).register();
      Feature cosmetic = features.define("avatars").priority(Priority.P4).register();
      features.control(
          LevelController.builder(LoadSignal.of("load", load::get), target)
              .raiseAfter(Duration.ofSeconds(raiseAfter))
              .lowerBelow(lowerBelow)
              .lowerAfter(Duration.ofSeconds(lowerAfter))
              .maxLevel(maxLevel)
              .build());
      int level = 0;
      long now = 0;
      long overSince = -1;
      long underSince = -1;
      for (double reading : loads) {
        load.set(reading);
        runtime.advance(Duration.ofSeconds(1));
        now++;
        if (reading > target) {
          underSince = -1;
          if (overSince < 0) {
            overSince = now;
          } else if (now - overSince >= raiseAfter && level < maxLevel) {
            level++;
            overSince = now;
          }
        } else if (reading < lowerBelow) {
          overSince = -1;
          if (underSince < 0) {
            underSince = now;
          } else if (now - underSince >= lowerAfter && level > 0) {
            level--;
            underSince = now;
          }
        } else {
          overSince = -1;
          underSince = -1;
        }
        assertThat(features.level()).as("load %s at %d s", reading, now).isEqualTo(level);
        assertThat(core.isEnabled()).isTrue();
        assertThat(cosmetic.isEnabled()).isEqualTo(level == 0);
      }
      assertThat(features.history().stream().filter(c -> c.feature().equals(Features.LEVEL)))
          .allSatisfy(
              c -> {
                assertThat(c.source()).isEqualTo("controller");
                assertThat(Math.abs(Integer.parseInt(c.to()) - Integer.parseInt(c.from())))
                    .isEqualTo(1);
              });
    }
  }

  @Provide
  Arbitrary<List<Double>> loads() {
    Arbitrary<Double> spiky = Arbitraries.of(20.0, 90.0, 150.0, 100.0, 80.0, 79.0);
    Arbitrary<List<Double>> runs =
        spiky.flatMap(
            v ->
                Arbitraries.integers().between(1, 8).map(n -> java.util.Collections.nCopies(n, v)));
    return runs.list().ofMaxSize(15).map(l -> l.stream().flatMap(List::stream).toList());
  }
}
