package dev.brownout.core;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Tests' hands on the runtime's timer: finding an attempt's slot, and firing it before its time.
 */
final class TimerSlots {

  private TimerSlots() {}

  /** The slot armed (phase ASYNC) for the asynchronous {@code call}'s attempt in flight. */
  static RuntimeTimer.Slot asyncSlotOf(RuntimeTimer timer, Object call) {
    for (RuntimeTimer.Slot slot : timer.slots()) {
      if (slot.entry == call && (slot.state & RuntimeTimer.PHASE) == RuntimeTimer.ASYNC) {
        return slot;
      }
    }
    throw new AssertionError("no slot armed for " + call);
  }

  /**
   * Starts a thread that does what the timer does at a deadline, now: it waits until a slot of
   * {@code timer} is armed (a synchronous wait or an asynchronous attempt) and fires it, once. For
   * a test in which only one call is timed at a time; it gives up after 30 s (a test that joins it
   * then sees it finished without firing).
   */
  static Thread fireWhenArmed(RuntimeTimer timer) {
    Thread firing =
        new Thread(
            () -> {
              long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
              while (System.nanoTime() - giveUp < 0) {
                for (RuntimeTimer.Slot slot : timer.slots()) {
                  long state = slot.state;
                  if (RuntimeTimer.fire(slot, state) || RuntimeTimer.expire(slot, state)) {
                    return;
                  }
                }
                Thread.onSpinWait();
              }
            },
            "hand-timer");
    firing.setDaemon(true);
    firing.start();
    return firing;
  }

  /** Waits for {@code latch}; an interrupt ends the wait with the flag set again. */
  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
