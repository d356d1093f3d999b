package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous attempt with a timeout is an entry of the runtime's timer (a pooled slot whose
 * entry is the call): the timer ends it at its timeout, and never once its stage has ended.
 */
class GuardAsyncTimerTest {

  @Test
  void anAsyncTimeoutFiresAndCancelsTheAttemptsStage() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("async-timer").timeout(Duration.ofMillis(20)).build();
      CompletableFuture<String> never = new CompletableFuture<>();

      CompletionStage<String> call = guard.callAsync(() -> never);

      await().atMost(Duration.ofSeconds(10)).until(() -> call.toCompletableFuture().isDone());
      assertThatThrownBy(() -> call.toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(never).isCancelled();
      assertThat(armedAsync(runtime.timer())).as("slots still armed").isZero();
    }
  }

  @Test
  void aCompletedAttemptsEntryIsNeverFiredAfterwards() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("async-done").timeout(Duration.ofHours(1)).build();
      CompletableFuture<String> pending = new CompletableFuture<>();
      CompletionStage<String> call = guard.callAsync(() -> pending);
      RuntimeTimer.Slot slot = TimerSlots.asyncSlotOf(runtime.timer(), call);
      long seenByTimer = slot.state;

      pending.complete("value");

      assertThat(call.toCompletableFuture().join()).isEqualTo("value");
      assertThat(slot.entry).as("a free slot keeps no call reachable").isNull();
      assertThat(RuntimeTimer.expire(slot, seenByTimer))
          .as("expired after its stage ended")
          .isFalse();
      runtime.timer().stop(); // expires every armed attempt: this one is not armed any more
      assertThat(call.toCompletableFuture().join()).isEqualTo("value");
      assertThat(guard.counts().timeout()).isZero();
    }
  }

  @Test
  void aRecycledSlotIsNotFiredForTheAttemptItHeldBefore() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("async-recycled").timeout(Duration.ofHours(1)).build();
      CompletableFuture<String> first = new CompletableFuture<>();
      CompletionStage<String> firstCall = guard.callAsync(() -> first);
      RuntimeTimer.Slot slot = TimerSlots.asyncSlotOf(runtime.timer(), firstCall);
      long firstArmed = slot.state;
      first.complete("first");
      CompletableFuture<String> second = new CompletableFuture<>();
      CompletionStage<String> secondCall = guard.callAsync(() -> second);
      RuntimeTimer.Slot secondSlot = TimerSlots.asyncSlotOf(runtime.timer(), secondCall);

      if (secondSlot == slot) {
        assertThat(RuntimeTimer.expire(slot, firstArmed)).isFalse();
        assertThat(secondCall.toCompletableFuture()).isNotDone();
      }
      assertThat(RuntimeTimer.expire(secondSlot, secondSlot.state)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> secondCall.toCompletableFuture().isDone());
      assertThatThrownBy(() -> secondCall.toCompletableFuture().join())
          .hasCauseInstanceOf(CallTimeoutException.class);
      assertThat(firstCall.toCompletableFuture().join()).isEqualTo("first");
    }
  }

  @Test
  void aStageEndingAsTheTimerFiresEndsItsAttemptExactlyOnce() throws Exception {
    int calls = 2_000;
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard =
          runtime
              .guard("async-race")
              .timeout(Duration.ofHours(1))
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .build();
      for (int i = 0; i < calls; i++) {
        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletionStage<String> call = guard.callAsync(() -> stage);
        RuntimeTimer.Slot slot = TimerSlots.asyncSlotOf(runtime.timer(), call);
        long armed = slot.state;
        CountDownLatch go = new CountDownLatch(1);
        Thread timer =
            new Thread(
                () -> {
                  TimerSlots.awaitQuietly(go);
                  RuntimeTimer.expire(slot, armed);
                });
        timer.start();
        go.countDown();
        stage.complete("value");
        timer.join();
        // Waits on the call itself: a polled wait would add its poll delay to each of the calls.
        call.toCompletableFuture().handle((value, failure) -> value).get(10, TimeUnit.SECONDS);
      }
      CallCounts counts = guard.counts();
      assertThat(counts.success() + counts.timeout())
          .as("every call counted once")
          .isEqualTo(calls);
      assertThat(counts.total()).isEqualTo(calls);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
      assertThat(armedAsync(runtime.timer())).isZero();
    }
  }

  private static int armedAsync(RuntimeTimer timer) {
    int armed = 0;
    for (RuntimeTimer.Slot slot : timer.slots()) {
      if ((slot.state & RuntimeTimer.PHASE) == RuntimeTimer.ASYNC) {
        armed++;
      }
    }
    return armed;
  }
}
