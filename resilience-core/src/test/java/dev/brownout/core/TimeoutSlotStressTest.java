package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The race between a timed call's end and its timer, driven a million times without waiting a tick
 * per call: a firing thread fires the caller's slot through the real protocol (CAS, {@code
 * Thread.interrupt}, FIRED) at random moments around the end of the body, sometimes with a state it
 * read one call earlier. No call may leave its thread interrupted unless the thread was interrupted
 * before the call.
 */
class TimeoutSlotStressTest {

  private static final int CALLS = 1_000_000;

  @Test
  void noInterruptOutlivesItsCall() throws Exception {
    RuntimeTimer timer = new RuntimeTimer("stress-timer");
    timer.stop(); // never started: the racing thread is the timer
    AtomicReference<RuntimeTimer.Slot> published = new AtomicReference<>();
    AtomicLong publishedState = new AtomicLong();
    AtomicLong firedByFirer = new AtomicLong();
    Thread firer =
        new Thread(
            () -> {
              SplittableRandom random = new SplittableRandom(7);
              long stale = 0;
              while (!Thread.currentThread().isInterrupted()) {
                RuntimeTimer.Slot slot = published.get();
                long seen = publishedState.get();
                if (slot == null) {
                  Thread.onSpinWait();
                  continue;
                }
                spin(random.nextInt(64));
                if (RuntimeTimer.fire(slot, random.nextInt(8) == 0 ? stale : seen)) {
                  firedByFirer.incrementAndGet();
                }
                stale = seen;
              }
            },
            "firer");
    firer.setDaemon(true);
    firer.start();

    SplittableRandom random = new SplittableRandom(11);
    long fired = 0;
    long leaked = 0;
    long calls = 0;
    try {
      // At least CALLS calls, and on until the racing thread has won at least one in a thousand: on
      // a loaded machine it may get little time on a core, and the race must still be exercised.
      for (; calls < CALLS || (fired <= CALLS / 1000 && calls < 20L * CALLS); calls++) {
        boolean before = random.nextInt(16) == 0;
        if (before) {
          Thread.currentThread().interrupt();
        }
        RuntimeTimer.Slot slot = timer.arm(Long.MAX_VALUE / 4);
        publishedState.set(slot.state);
        published.set(slot);
        spin(random.nextInt(64));
        if (RuntimeTimer.settle(slot)) {
          fired++;
        }
        boolean after = Thread.interrupted();
        if (after != before) {
          leaked++;
        }
      }
    } finally {
      firer.interrupt();
      firer.join(10_000);
    }
    Thread.interrupted();
    System.out.printf(
        "timeout slot stress: %,d calls, %,d fired by the racing thread%n", calls, fired);
    assertThat(leaked).as("calls whose interrupt flag changed").isZero();
    assertThat(fired)
        .as("calls the timer won")
        .isEqualTo(firedByFirer.get())
        .isGreaterThan(CALLS / 1000);
    assertThat(fired).as("calls that settled first").isLessThan(calls - CALLS / 1000);
  }

  private static void spin(int rounds) {
    for (int i = 0; i < rounds; i++) {
      Thread.onSpinWait();
    }
  }
}
