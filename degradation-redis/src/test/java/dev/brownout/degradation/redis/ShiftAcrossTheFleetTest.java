package dev.brownout.degradation.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.degradation.Switch;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftCriteria;
import dev.brownout.migration.ShiftDecision;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shift keeps its step and state in its switch, so that a fleet sharing switches through a real
 * Redis agrees on them: a step taken on one instance is the share on every other, a rollback on one
 * sends every instance's keys back to the old path, and an instance started afterwards does not
 * resume the rolled-back shift until a person does.
 */
class ShiftAcrossTheFleetTest {

  @RegisterExtension static final RedisFleet fleet = new RedisFleet();

  private static final String SWITCH = "shift-comments-backend";

  private static final ShiftCriteria QUICK = ShiftCriteria.builder().minCalls(100).looks(1).build();

  private static Shift<String> shift(Instance instance) {
    return Shift.<String>builder("comments-backend", instance.brownout, instance.features)
        .steps(5, 20, 100)
        .criteria(QUICK)
        .build();
  }

  /** Keys 0 to {@code calls}: the old path answers, the new one answers or fails. */
  private static void traffic(Shift<String> shift, int calls, boolean newFails) throws Exception {
    for (long key = 0; key < calls; key++) {
      try {
        shift.call(
            key,
            () -> "old",
            () -> {
              if (newFails) {
                throw new IOException("the new store is down");
              }
              return "new";
            });
      } catch (IOException expected) {
        // the caller of a shift without fallback sees the new path's failure
      }
    }
  }

  @Test
  void aStepTakenOnOneInstanceIsTheShareOfEveryOther() throws Exception {
    Instance a = fleet.instance("a");
    Instance b = fleet.instance("b");
    Shift<String> onA = shift(a);
    Shift<String> onB = shift(b);
    traffic(onA, 4_000, false);

    assertThat(onA.check().kind()).isEqualTo(ShiftDecision.Kind.ADVANCE);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(b.setting(SWITCH).percent()).isEqualTo(20.0));
    assertThat(onB.share()).isEqualTo(20.0);
    for (long key = 0; key < 1_000; key++) {
      assertThat(onB.routesToNew(key)).as("key %d", key).isEqualTo(onA.routesToNew(key));
    }
  }

  @Test
  void aRollbackReachesEveryInstanceAndOutlivesARestartUntilResumed() throws Exception {
    Instance a = fleet.instance("a");
    Instance b = fleet.instance("b");
    Shift<String> onA = shift(a);
    Shift<String> onB = shift(b);
    traffic(onA, 4_000, true);

    ShiftDecision decision = onA.check();

    assertThat(decision.kind()).isEqualTo(ShiftDecision.Kind.ROLLBACK);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(b.setting(SWITCH).kind()).isEqualTo(Switch.Kind.OFF));
    assertThat(onB.check()).isNull();
    assertThat(onB.state()).isEqualTo(Shift.State.ROLLED_BACK);
    assertThat(onB.routesToNew(7L)).isFalse();

    a.close();
    Instance restarted = fleet.instance("a-restarted");
    Shift<String> again = shift(restarted);
    assertThat(again.state()).as("a restart does not resume it").isEqualTo(Shift.State.ROLLED_BACK);
    assertThat(again.share()).isZero();

    again.resume("the new store is fixed");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(b.setting(SWITCH).kind()).isEqualTo(Switch.Kind.ROLLOUT));
    assertThat(onB.check().kind()).isEqualTo(ShiftDecision.Kind.HOLD);
    assertThat(onB.state()).isEqualTo(Shift.State.SHIFTING);
  }
}
