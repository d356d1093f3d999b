package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shift's life, COMPARING → SHIFTING → PROMOTED → DONE, kept in the shared switch so that another
 * instance and a restarted one agree; its status and meters. Time is moved by hand.
 */
class ShiftLifecycleTest {

  private static final ShiftCriteria QUICK = ShiftCriteria.builder().looks(1).minCalls(100).build();

  private final SharedSwitches store = new SharedSwitches();
  private final AtomicLong nanos = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Brownout> instances = new ArrayList<>();

  @AfterEach
  void close() {
    instances.forEach(Brownout::close);
  }

  /** The shift as one instance of the service builds it, on the shared switch store. */
  private Shift<String> instance() {
    Brownout runtime =
        Brownout.builder()
            .ticker(nanos::get)
            .meterRegistry(registry)
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build();
    instances.add(runtime);
    Features features = Features.of(runtime);
    features.addSource(store.source());
    return Shift.<String>builder("comments-backend", runtime, features)
        .steps(50, 100)
        .criteria(QUICK)
        .compareFirst()
        .retireAfter(Duration.ofMinutes(10))
        .build();
  }

  private static long newCalls(Shift<String> shift, int keys) throws Exception {
    long onNew = 0;
    for (int key = 0; key < keys; key++) {
      if (shift.call(key, () -> "old", () -> "new").equals("new")) {
        onNew++;
      }
    }
    return onNew;
  }

  @Test
  void aShiftComparesFirstThenShiftsIsPromotedAndIsDoneOnceTheOldPathIsIdle() throws Exception {
    Shift<String> shift = instance();

    assertThat(shift.state()).isEqualTo(Shift.State.COMPARING);
    assertThat(newCalls(shift, 500)).as("comparing: every key old").isZero();
    assertThat(shift.check()).isNull();

    shift.start("the experiment matched for a week");
    assertThat(shift.state()).isEqualTo(Shift.State.SHIFTING);
    assertThat(shift.share()).isEqualTo(50.0);
    assertThat(newCalls(shift, 1_000)).isBetween(400L, 600L);
    assertThat(shift.check().kind()).isEqualTo(ShiftDecision.Kind.ADVANCE);
    assertThat(shift.state()).isEqualTo(Shift.State.PROMOTED);
    assertThat(shift.safeToRetire()).isFalse();

    shift.check(); // the watch starts
    nanos.addAndGet(Duration.ofMinutes(9).toNanos());
    newCalls(shift, 10);
    shift.check();
    assertThat(shift.state()).as("9 minutes idle").isEqualTo(Shift.State.PROMOTED);
    nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    shift.check();

    assertThat(shift.state()).isEqualTo(Shift.State.DONE);
    assertThat(shift.safeToRetire()).isTrue();
    assertThat(shift.status().safeToRetire()).isTrue();
    assertThat(newCalls(shift, 100)).isEqualTo(100);
    assertThat(instance().state()).as("a restarted instance").isEqualTo(Shift.State.DONE);
  }

  @Test
  void readsThatStillFallBackToTheOldPathKeepThePromotedShiftFromFinishing() throws Exception {
    Shift<String> shift = instance();
    Brownout runtime = instances.get(0);
    Shift<String> fallingBack =
        Shift.<String>builder("retiring", runtime, Features.of(runtime))
            .steps(50, 100)
            .fallBackToOld(true)
            .retireAfter(Duration.ofMinutes(10))
            .build();
    shift.promote("looked fine");
    fallingBack.promote("looked fine");

    for (int minute = 0; minute < 30; minute++) {
      shift.check();
      fallingBack.check();
      assertThat(shift.call(minute, () -> "old", () -> "new")).isEqualTo("new");
      assertThat(
              fallingBack.call(
                  minute,
                  () -> "old",
                  () -> {
                    throw new IllegalStateException("new path down");
                  }))
          .as("the old path serves a read the new one failed")
          .isEqualTo("old");
      nanos.addAndGet(Duration.ofMinutes(1).toNanos());
    }

    assertThat(shift.state()).isEqualTo(Shift.State.DONE);
    assertThat(fallingBack.state())
        .as("a fallback is a call of the old path")
        .isEqualTo(Shift.State.PROMOTED);
    assertThat(fallingBack.fellBack()).isEqualTo(30);
  }

  @Test
  void startIsOnlyForAComparingShiftAndEveryInstanceSeesTheStart() throws Exception {
    Shift<String> shift = instance();
    Shift<String> other = instance();
    assertThat(other.state()).isEqualTo(Shift.State.COMPARING);

    shift.start("go");

    assertThat(other.status().state()).isEqualTo(Shift.State.SHIFTING);
    assertThat(instance().state()).isEqualTo(Shift.State.SHIFTING);
    assertThatThrownBy(() -> shift.start("again"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is SHIFTING, not COMPARING");
  }

  @Test
  void theStatusShowsTheStepsNumbersAndTheMetersCountEveryCall() throws Exception {
    Shift<String> shift = instance();
    shift.start("go");
    for (int key = 0; key < 400; key++) {
      int k = key;
      try {
        shift.call(
            k,
            () -> "old",
            () -> {
              if (k % 10 == 0) {
                throw new IllegalStateException("new path failed");
              }
              return "new";
            });
      } catch (IllegalStateException expected) {
        // the caller sees the new path's failure
      }
    }
    ShiftDecision decision = shift.check();

    ShiftStatus status = shift.status();
    assertThat(status.name()).isEqualTo("comments-backend");
    assertThat(status.lastDecision()).isEqualTo(decision);
    assertThat(status.epoch()).isZero();
    double oldCalls = calls("old", "success");
    double newErrors = calls("new", "error");
    double newSuccesses = calls("new", "success");
    assertThat(oldCalls + newErrors + newSuccesses).isEqualTo(400);
    assertThat(newErrors).isPositive();
    assertThat(
            registry
                .get("brownout.shift.decisions")
                .tags("kind", decision.kind().name())
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("brownout.shift.share").gauge().value()).isEqualTo(shift.share());
    assertThat(registry.get("brownout.shift.fallbacks").functionCounter().count()).isZero();
    if (decision.kind() != ShiftDecision.Kind.ROLLBACK) {
      assertThat(status.newCalls()).isEqualTo((long) (newErrors + newSuccesses));
      assertThat(status.newErrors()).isEqualTo((long) newErrors);
      assertThat(status.oldCalls()).isEqualTo((long) oldCalls);
    }
  }

  @Test
  void badCriteriaAndRetirementTimesAreNamed() {
    assertThatThrownBy(() -> ShiftCriteria.builder().alpha(0.7).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shift.alpha")
        .hasMessageContaining("0.7");
    assertThatThrownBy(() -> ShiftCriteria.builder().minCalls(0).build())
        .hasMessageContaining("shift.minCalls");
    assertThat(ShiftCriteria.builder().build()).isEqualTo(ShiftCriteria.defaults());
    assertThatThrownBy(
            () ->
                Shift.<String>builder("x", instancesRuntime(), Features.of(instancesRuntime()))
                    .retireAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shift.retireAfter");
  }

  /** The count of {@code brownout.shift.calls} of one arm and outcome. */
  private double calls(String arm, String outcome) {
    return registry
        .get("brownout.shift.calls")
        .tags("arm", arm, "outcome", outcome)
        .functionCounter()
        .count();
  }

  private Brownout instancesRuntime() {
    if (instances.isEmpty()) {
      instance();
    }
    return instances.get(0);
  }
}
