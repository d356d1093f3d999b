package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A model of the timeout slot protocol driven through the real {@link RuntimeTimer}: any sequence
 * of arm, settle, interrupt-by-someone-else, timer snapshot (a read of a slot's state), fire with
 * any snapshot taken so far (stale ones included, so that recycled slots are fired at with an
 * earlier call's stamp), and timer scans keeps the invariants:
 *
 * <ul>
 *   <li>a fire succeeds only on the call it read, while armed, and at most once per call;
 *   <li>settle reports a fire exactly when one succeeded on that call;
 *   <li>after settle, the caller's interrupt flag is its flag before the call, plus an interrupt
 *       sent by someone else if the timer did not fire;
 *   <li>a settled slot is free, and each claim of a slot has a new stamp.
 * </ul>
 *
 * The owner and the timer are steps of one thread here (the timer's fire is one step); the stress
 * test races them on two threads.
 *
 * <p>The asynchronous phase, through real guarded calls: any sequence of starting an attempt,
 * completing its stage, cancelling the call, snapshotting its slot and expiring with any snapshot
 * taken so far, then closing the runtime, keeps these invariants: an expire ends an attempt only if
 * it read the attempt's own armed word and the stage had not ended it; exactly one of stage,
 * expire, cancel or close ends each call, and the call's result and counts say which; an ended
 * attempt's slot never holds it again.
 */
class TimeoutSlotProperties {

  private static final int ARM_EXPIRED = 0;
  private static final int ARM_LATER = 1;
  private static final int SETTLE = 2;
  private static final int INTERRUPT = 3;
  private static final int SNAPSHOT = 4;
  private static final int FIRE = 5;
  private static final int SCAN = 6;

  @Property(tries = 2000)
  void everyInterleavingKeepsTheInvariants(
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 6) Integer> steps,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 1000) Integer> picks) {
    RuntimeTimer timer = new RuntimeTimer("model-timer");
    timer.stop(); // never started: the model scans by hand
    List<RuntimeTimer.Slot> seenSlots = new ArrayList<>();
    List<Long> seenStates = new ArrayList<>();
    List<Long> stamps = new ArrayList<>();
    RuntimeTimer.Slot armed = null;
    long armedState = 0;
    long armedNanos = 0;
    boolean before = false;
    boolean foreign = false;
    int firesOnCall = 0;
    Thread.interrupted();
    try {
      for (int i = 0; i < steps.size(); i++) {
        int pick = i < picks.size() ? picks.get(i) : 0;
        switch (steps.get(i)) {
          case ARM_EXPIRED, ARM_LATER -> {
            if (armed != null) {
              break;
            }
            before = Thread.currentThread().isInterrupted();
            foreign = false;
            firesOnCall = 0;
            armedNanos = steps.get(i) == ARM_EXPIRED ? 1 : Long.MAX_VALUE / 4;
            armed = timer.arm(armedNanos);
            armedState = armed.state;
            assertThat(armedState & RuntimeTimer.PHASE).isEqualTo(RuntimeTimer.ARMED);
            long stamp = armedState & ~RuntimeTimer.PHASE;
            assertThat(stamps).as("stamps of claims").doesNotContain(stamp);
            stamps.add(stamp);
          }
          case SETTLE -> {
            if (armed == null) {
              break;
            }
            boolean fired = RuntimeTimer.settle(armed);
            assertThat(fired).isEqualTo(firesOnCall == 1);
            boolean after = Thread.interrupted();
            assertThat(after)
                .as("interrupt flag after the call")
                .isEqualTo(before || (foreign && !fired));
            assertThat(armed.state & RuntimeTimer.PHASE).isEqualTo(RuntimeTimer.FREE);
            if (after) {
              Thread.currentThread().interrupt();
            }
            armed = null;
          }
          case INTERRUPT -> {
            Thread.currentThread().interrupt();
            foreign = armed != null;
            if (armed == null) {
              Thread.interrupted(); // an interrupt between calls belongs to no call; keep the model
              // simple
            }
          }
          case SNAPSHOT -> {
            if (armed != null) {
              seenSlots.add(armed);
              seenStates.add(armed.state);
            }
          }
          case FIRE -> {
            if (seenSlots.isEmpty()) {
              break;
            }
            int which = pick % seenSlots.size();
            RuntimeTimer.Slot slot = seenSlots.get(which);
            long seen = seenStates.get(which);
            boolean current = slot == armed && seen == armedState;
            boolean flagBefore = Thread.currentThread().isInterrupted();
            boolean fired = RuntimeTimer.fire(slot, seen);
            assertThat(fired)
                .as("fire succeeds only on the armed call it read, once")
                .isEqualTo(current && firesOnCall == 0);
            if (fired) {
              firesOnCall++;
              assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } else {
              assertThat(Thread.currentThread().isInterrupted()).isEqualTo(flagBefore);
            }
          }
          case SCAN -> {
            boolean dated = armed != null && armed.seen == armed.state;
            boolean expired = dated && System.nanoTime() - armed.deadline >= 0 && firesOnCall == 0;
            timer.scan();
            if (armed != null
                && firesOnCall == 0
                && (armed.state & RuntimeTimer.PHASE) == RuntimeTimer.FIRED) {
              assertThat(dated).as("a call is fired only after a scan dated it").isTrue();
              assertThat(armedNanos).as("a call with time left is not fired").isEqualTo(1);
              firesOnCall++;
            }
            assertThat(!expired || firesOnCall == 1)
                .as("an expired armed call is fired by a scan")
                .isTrue();
          }
          default -> throw new IllegalStateException();
        }
      }
      if (armed != null) {
        assertThat(RuntimeTimer.settle(armed)).isEqualTo(firesOnCall == 1);
      }
    } finally {
      Thread.interrupted();
      timer.stop();
    }
  }

  private static final int START = 0;
  private static final int COMPLETE = 1;
  private static final int CANCEL = 2;
  private static final int ASYNC_SNAPSHOT = 3;
  private static final int EXPIRE = 4;

  /** One asynchronous call of the model: its stage, its result and what ended it. */
  private static final class AsyncAttempt {
    final CompletableFuture<String> stage;
    final CompletableFuture<String> result;
    final RuntimeTimer.Slot slot;
    final long word;
    @Nullable String endedBy;

    AsyncAttempt(
        CompletableFuture<String> stage, CompletableFuture<String> result, RuntimeTimer timer) {
      this.stage = stage;
      this.result = result;
      this.slot = TimerSlots.asyncSlotOf(timer, result);
      this.word = slot.state;
    }
  }

  @Property(tries = 1000)
  void everyAsyncInterleavingEndsEachAttemptOnce(
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 4) Integer> steps,
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 1000) Integer> picks)
      throws Exception {
    List<AsyncAttempt> calls = new ArrayList<>();
    List<RuntimeTimer.Slot> seenSlots = new ArrayList<>();
    List<Long> seenWords = new ArrayList<>();
    Guard guard;
    try (Brownout runtime = Brownout.builder().build()) {
      guard = runtime.guard("async-model").timeout(Duration.ofHours(1)).build();
      for (int i = 0; i < steps.size(); i++) {
        int pick = i < picks.size() ? picks.get(i) : 0;
        AsyncAttempt chosen = calls.isEmpty() ? null : calls.get(pick % calls.size());
        switch (steps.get(i)) {
          case START -> {
            CompletableFuture<String> stage = new CompletableFuture<>();
            CompletableFuture<String> result = guard.callAsync(() -> stage).toCompletableFuture();
            calls.add(new AsyncAttempt(stage, result, runtime.timer()));
          }
          case COMPLETE -> {
            if (chosen != null && chosen.stage.complete("value") && chosen.endedBy == null) {
              chosen.endedBy = "stage";
            }
          }
          case CANCEL -> {
            // CompletableFuture.cancel says whether the call is now cancelled, not whether this did
            // it.
            if (chosen != null && !chosen.result.isDone() && chosen.result.cancel(true)) {
              assertThat(chosen.endedBy).as("a call is cancelled only while it runs").isNull();
              chosen.endedBy = "cancel";
            }
          }
          case ASYNC_SNAPSHOT -> {
            if (chosen != null) {
              // The slot may since hold a later attempt, or nothing: the timer reads what is there.
              seenSlots.add(chosen.slot);
              seenWords.add(chosen.slot.state);
            }
          }
          case EXPIRE -> {
            if (seenSlots.isEmpty()) {
              break;
            }
            int which = pick % seenSlots.size();
            RuntimeTimer.Slot slot = seenSlots.get(which);
            long word = seenWords.get(which);
            AsyncAttempt owner = null;
            for (AsyncAttempt call : calls) {
              if (call.slot == slot && call.word == word && call.endedBy == null) {
                owner = call;
              }
            }
            boolean expired = RuntimeTimer.expire(slot, word);
            assertThat(expired)
                .as("an expire ends only the running attempt whose armed word it read")
                .isEqualTo(owner != null);
            if (owner != null) {
              owner.endedBy = "timer";
              awaitDone(owner.result); // the timeout runs on the runtime's scheduler
            }
          }
          default -> throw new IllegalStateException();
        }
        for (AsyncAttempt call : calls) {
          if (call.endedBy != null) {
            assertThat(call.slot.state == call.word && call.slot.entry == call.result)
                .as("an ended attempt's slot no longer holds it")
                .isFalse();
          }
        }
      }
    }
    int timedOut = 0;
    int succeeded = 0;
    for (AsyncAttempt call : calls) {
      awaitDone(call.result);
      if (call.endedBy == null) {
        call.endedBy = "close";
      }
      switch (call.endedBy) {
        case "stage" -> {
          assertThat(call.result.join()).isEqualTo("value");
          succeeded++;
        }
        case "timer" -> {
          assertThat(failureOf(call.result)).isInstanceOf(CallTimeoutException.class);
          timedOut++;
        }
        case "cancel" -> assertThat(call.result).isCancelled();
        default -> assertThat(call.result).isCompletedExceptionally().isNotCancelled();
      }
    }
    CallCounts counts = guard.counts();
    assertThat(counts.total()).as("every call counted once").isEqualTo(calls.size());
    assertThat(counts.success()).isEqualTo(succeeded);
    assertThat(counts.timeout()).isEqualTo(timedOut);
  }

  private static void awaitDone(CompletableFuture<String> result) throws Exception {
    result.handle((v, f) -> v).get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<String> result) {
    try {
      result.join();
      throw new AssertionError("completed normally");
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }
}
