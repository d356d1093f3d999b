package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shift routes a sticky, growing share of keys to the new path, steps up when the new path is no
 * worse, rolls back by itself when it is, holds without data, keeps a rollback across instances and
 * restarts (the switch is the shared state), and falls back for reads when asked.
 */
class ShiftTest {

  /** One look a step, 100 calls a path: the tests step with a few hundred calls. */
  private static final ShiftCriteria QUICK =
      new ShiftCriteria(0.01, 0.05, 1, 0.2, 0.99, 1.5, Duration.ofMillis(20), 3, 100);

  private static final ShiftCriteria QUICK_ERRORS_ONLY =
      new ShiftCriteria(0.01, 0.05, 1, 0.2, 0.99, 1.5, Duration.ofMinutes(1), 3, 100);

  private final SharedSwitches store = new SharedSwitches();
  private final List<Brownout> instances = new ArrayList<>();
  private final Brownout brownout = instance();
  private final Features features = features(brownout);

  /** A service instance: its own runtime and features, reading the shared switch store. */
  private Brownout instance() {
    Brownout runtime =
        Brownout.builder()
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build();
    instances.add(runtime);
    return runtime;
  }

  private Features features(Brownout runtime) {
    Features of = Features.of(runtime);
    of.addSource(store.source());
    return of;
  }

  @AfterEach
  void close() {
    instances.forEach(Brownout::close);
  }

  private Shift<String> shift(double... steps) {
    return shiftOn(brownout, features, steps);
  }

  /** The shift as another instance of the service builds it. */
  private Shift<String> elsewhere(double... steps) {
    Brownout runtime = instance();
    return shiftOn(runtime, features(runtime), steps);
  }

  private static Shift<String> shiftOn(Brownout runtime, Features features, double... steps) {
    return Shift.<String>builder("comments-backend", runtime, features)
        .steps(steps)
        .criteria(QUICK)
        .build();
  }

  /** Calls keys 0 to {@code keys - 1}; the keys the new path served. */
  private static Set<Integer> traffic(Shift<String> shift, int keys, boolean newFails)
      throws Exception {
    Set<Integer> routedNew = new HashSet<>();
    for (int key = 0; key < keys; key++) {
      int k = key;
      try {
        shift.call(
            k,
            () -> "old",
            () -> {
              routedNew.add(k);
              if (newFails) {
                throw new IllegalStateException("new path down");
              }
              return "new";
            });
      } catch (IllegalStateException expected) {
        // the caller gets the new path's failure
      }
    }
    return routedNew;
  }

  @Test
  void aKeyOnTheNewPathStaysThereAsTheShareGrows() throws Exception {
    Shift<String> shift = shift(5, 20, 100);
    assertThat(shift.share()).isEqualTo(5.0);
    Set<Integer> atFive = traffic(shift, 4_000, false);
    assertThat(atFive.size()).isBetween(120, 280);

    ShiftDecision stepped = shift.check();

    assertThat(stepped.kind()).isEqualTo(ShiftDecision.Kind.ADVANCE);
    assertThat(shift.share()).isEqualTo(20.0);
    Set<Integer> atTwenty = traffic(shift, 4_000, false);
    assertThat(atTwenty).containsAll(atFive);
    assertThat(atTwenty.size()).isBetween(680, 920);
    assertThat(shift.check().kind()).isEqualTo(ShiftDecision.Kind.ADVANCE);
    assertThat(shift.state()).isEqualTo(Shift.State.PROMOTED);
    assertThat(shift.share()).isEqualTo(100.0);
    assertThat(traffic(shift, 100, false)).hasSize(100);
  }

  @Test
  void aFailingNewPathRollsBackByItselfAndEveryKeyGoesBack() throws Exception {
    Shift<String> shift = shift(5, 20, 100);
    traffic(shift, 4_000, true);

    ShiftDecision decision = shift.check();

    assertThat(decision.kind()).isEqualTo(ShiftDecision.Kind.ROLLBACK);
    assertThat(decision.newErrorRate()).isEqualTo(1.0);
    assertThat(decision.oldErrorRate()).isZero();
    assertThat(decision.newCalls()).isPositive();
    assertThat(shift.state()).isEqualTo(Shift.State.ROLLED_BACK);
    assertThat(shift.share()).isZero();
    assertThat(traffic(shift, 1_000, true)).isEmpty();
    assertThat(shift.check()).as("a rollback decides nothing more").isNull();
    assertThat(shift.decisions()).extracting(ShiftDecision::kind).containsExactly(decision.kind());
  }

  @Test
  void withoutEnoughCallsTheShiftHolds() throws Exception {
    Shift<String> shift = shift(5, 20, 100);
    traffic(shift, 200, true); // about 10 calls on the new path, all failing

    ShiftDecision decision = shift.check();

    assertThat(decision.kind()).isEqualTo(ShiftDecision.Kind.HOLD);
    assertThat(shift.state()).isEqualTo(Shift.State.SHIFTING);
    assertThat(shift.share()).isEqualTo(5.0);
  }

  @Test
  void aRollbackOnOneInstanceHoldsOnAnotherAndAfterARestartUntilResumed() throws Exception {
    Shift<String> here = shift(5, 20, 100);
    Shift<String> there = elsewhere(5, 20, 100);
    traffic(here, 4_000, true);
    assertThat(here.check().kind()).isEqualTo(ShiftDecision.Kind.ROLLBACK);

    assertThat(there.check()).isNull();
    assertThat(there.state()).isEqualTo(Shift.State.ROLLED_BACK);
    Shift<String> restarted = elsewhere(5, 20, 100); // started after the rollback
    assertThat(restarted.state()).isEqualTo(Shift.State.ROLLED_BACK);

    restarted.resume("the new path's bug is fixed");
    assertThat(restarted.state()).isEqualTo(Shift.State.SHIFTING);
    assertThat(here.share()).isEqualTo(5.0);
    here.check();
    assertThat(here.state()).isEqualTo(Shift.State.SHIFTING);
  }

  @Test
  void aPauseHoldsTheShareEverywhereAndReadsMayFallBack() throws Exception {
    Shift<String> shift =
        Shift.<String>builder("comments-backend", brownout, features)
            .steps(50, 100)
            .criteria(QUICK)
            .fallBackToOld(true)
            .build();
    shift.pause("a holiday freeze");
    traffic(shift, 1_000, false);
    assertThat(shift.check()).isNull();
    assertThat(shift.share()).isEqualTo(50.0);
    assertThat(elsewhere(50, 100).state()).isEqualTo(Shift.State.PAUSED);

    int routedNew = traffic(shift, 100, true).size();
    assertThat(routedNew).isPositive();
    assertThat(shift.fellBack())
        .as("each failed new call was served by the old one")
        .isEqualTo(routedNew);
  }

  @Test
  void aNumericKeyRoutesAsItsBoxedForm() throws Exception {
    Shift<String> shift = shift(50, 100);
    for (long key = 0; key < 1_000; key++) {
      assertThat(shift.call(key, () -> "old", () -> "new"))
          .isEqualTo(shift.call(Long.valueOf(key), () -> "old", () -> "new"))
          .isEqualTo(shift.routesToNew(key) ? "new" : "old")
          .isEqualTo(shift.routesToNew(Long.valueOf(key)) ? "new" : "old");
    }
  }

  @Test
  void aSecondShiftOfOneNameOnOneRuntimeIsRefused() {
    shift(5, 100);

    assertThatThrownBy(() -> shift(5, 100))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "a shift named 'comments-backend' was built on this runtime already: build one per"
                + " name and share it");
  }

  @Test
  void aShiftIsFoundByNameOnItsRuntime() {
    Shift<String> shift = shift(5, 100);

    assertThat(Shift.find(brownout, "comments-backend")).containsSame(shift);
    assertThat(Shift.find(brownout, "nothing")).isEmpty();
    assertThat(Shift.all(brownout)).containsExactly(shift);
    assertThat(Shift.all(instance())).as("another runtime has its own").isEmpty();
  }

  @Test
  void aShiftCheckedOnAScheduleStepsByItselfAndItsThreadEndsWithTheRuntime() throws Exception {
    Brownout runtime = instance();
    Shift<String> shift =
        Shift.<String>builder("comments-backend", runtime, features(runtime))
            .steps(5, 20, 100)
            // the checks run while the calls do: a busy machine that stalls a few new-path calls
            // must not read as a latency regression in a test of the schedule
            .criteria(QUICK_ERRORS_ONLY)
            .checkEvery(Duration.ofMillis(20))
            .build();
    traffic(shift, 4_000, false);

    await()
        .atMost(Duration.ofSeconds(10))
        .failFast("the shift rolled back", () -> shift.state() == Shift.State.ROLLED_BACK)
        .until(() -> shift.share() == 20.0);
    assertThat(shift.decisions())
        .anySatisfy(d -> assertThat(d.kind()).isEqualTo(ShiftDecision.Kind.ADVANCE));
    assertThat(Thread.getAllStackTraces().keySet())
        .anySatisfy(t -> assertThat(t.getName()).isEqualTo("brownout-shift-checks"));

    runtime.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("brownout-shift-checks") && t.isAlive()));
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> Shift.builder("Comments", brownout, features))
        .hasMessageContaining("shift.name must be lower-case words");
    assertThatThrownBy(() -> Shift.builder("c", brownout, features).steps(10, 5))
        .hasMessageContaining("shift.steps must rise");
    assertThatThrownBy(() -> Shift.builder("c", brownout, features).steps(0.001))
        .hasMessageContaining("switch.rollout");
    assertThatThrownBy(() -> Shift.builder("c", brownout, features).checkEvery(Duration.ZERO))
        .hasMessageContaining("shift.checkEvery")
        .hasMessageContaining("must be a positive duration");
  }
}
