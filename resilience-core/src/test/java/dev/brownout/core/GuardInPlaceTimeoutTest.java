package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A synchronous call with a timeout runs on the caller's thread; the runtime's timer stops it. */
class GuardInPlaceTimeoutTest {

  @Test
  void aTimedCallRunsOnTheCallersThreadAndLeavesNoInterrupt() throws Exception {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("in-place").timeout(Duration.ofSeconds(5)).build();
      Thread caller = Thread.currentThread();

      Thread ran = guard.call(Thread::currentThread);

      assertThat(ran).isSameAs(caller);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void aBodyThatIgnoresTheInterruptGetsACallTimeoutWhenItReturns() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("stubborn").timeout(Duration.ofMillis(5)).build();

      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                          Thread.onSpinWait();
                        }
                        return "late";
                      }))
          .isInstanceOf(CallTimeoutException.class)
          .hasMessageContaining("stubborn");
      assertThat(Thread.interrupted()).as("the timer's interrupt outlived the call").isFalse();
    }
  }

  @Test
  void aBodyStoppedByTheInterruptGetsACallTimeoutCountedAsATimeout() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("sleepy").timeout(Duration.ofMillis(5)).build();

      assertThatThrownBy(
              () ->
                  guard.run(
                      () -> {
                        Thread.sleep(60_000);
                      }))
          .isExactlyInstanceOf(CallTimeoutException.class);
      assertThat(guard.counts().timeout()).isEqualTo(1);
      assertThat(Thread.interrupted()).isFalse();
    }
  }

  @Test
  void anInterruptTheCallerHadBeforeTheCallIsKept() throws Exception {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("pre-interrupted").timeout(Duration.ofMillis(2)).build();
      Thread.currentThread().interrupt();
      try {
        assertThat(guard.call(() -> "fast")).isEqualTo("fast");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();

        assertThatThrownBy(
                () ->
                    guard.call(
                        () -> {
                          long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
                          while (System.nanoTime() - end < 0) {
                            Thread.onSpinWait();
                          }
                          return "slow";
                        }))
            .isInstanceOf(CallTimeoutException.class);
        assertThat(Thread.currentThread().isInterrupted())
            .as("the caller's own interrupt")
            .isTrue();
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void theDeadlineOfTheWholeCallUsesTheSameSlot() {
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("deadline").deadline(Duration.ofMillis(20)).build();
      Thread caller = Thread.currentThread();
      AtomicInteger onCaller = new AtomicInteger();

      assertThatThrownBy(
              () ->
                  guard.run(
                      () -> {
                        if (Thread.currentThread() == caller) {
                          onCaller.incrementAndGet();
                        }
                        Thread.sleep(60_000);
                      }))
          .isInstanceOf(DeadlineExceededException.class);
      assertThat(onCaller).hasValue(1);
      assertThat(Thread.interrupted()).isFalse();
    }
  }

  /**
   * How late the timer stops a call, over 10,000 timed-out calls on 8 threads whose bodies sleep:
   * the lateness a caller sees, the timer's and the machine's (waking the sleeping thread on 2
   * shared cores). Only the order of the bound is asserted; the figures are printed.
   */
  @Test
  void timedOutCallsAreStoppedNearTheirDeadline() throws Exception {
    long[] late =
        lateness(
            8,
            1_250,
            () -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                return System.nanoTime();
              }
              return 0L;
            });
    assertThat(late[0]).as("stopped before its deadline").isGreaterThanOrEqualTo(0);
    assertThat(late[late.length * 99 / 100])
        .as("p99 lateness, ns")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
  }

  /**
   * The timer's own lateness: one caller whose body spins on its interrupt flag, so the moment the
   * flag is seen is the moment the timer fired (the spinning thread is always running). Only the
   * order of the bound is asserted; the figures are printed.
   */
  @Test
  void theTimerFiresNearTheDeadline() throws Exception {
    long[] late =
        lateness(
            1,
            10_000,
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
              }
              return System.nanoTime();
            });
    assertThat(late[0]).as("fired before its deadline").isGreaterThanOrEqualTo(0);
    assertThat(late[late.length * 99 / 100])
        .as("p99 lateness, ns")
        .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
  }

  /** A body that waits to be stopped and says when it saw the stop (0 if it never did). */
  interface StoppableBody {
    long runUntilStopped();
  }

  /** The sorted lateness past a 1 ms timeout of {@code threads × perThread} timed-out calls. */
  private static long[] lateness(int threads, int perThread, StoppableBody body) throws Exception {
    long timeout = TimeUnit.MILLISECONDS.toNanos(1);
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard = runtime.guard("lateness").timeout(Duration.ofNanos(timeout)).build();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(
              pool.submit(
                  () -> {
                    long[] late = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                      long start = System.nanoTime();
                      long[] stopped = new long[1];
                      try {
                        guard.run(() -> stopped[0] = body.runUntilStopped());
                      } catch (CallTimeoutException expected) {
                        late[i] = stopped[0] - start - timeout;
                      }
                    }
                    return late;
                  }));
        }
        long[] all = new long[threads * perThread];
        for (int t = 0; t < threads; t++) {
          System.arraycopy(results.get(t).get(), 0, all, t * perThread, perThread);
        }
        Arrays.sort(all);
        System.out.printf(
            "timeout lateness, %d thread(s), %,d fired timeouts: p50 %.2f ms, p99 %.2f ms, max"
                + " %.2f ms%n",
            threads,
            all.length,
            all[all.length / 2] / 1e6,
            all[all.length * 99 / 100] / 1e6,
            all[all.length - 1] / 1e6);
        return all;
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Thousands of virtual threads through a bulkhead and a timeout: all served, none rejected by a
   * pool of platform threads. Runs where virtual threads exist (JDK 21 on).
   */
  @Test
  void thousandsOfVirtualThreadsAreAllServed() throws Exception {
    ExecutorService virtualThreads;
    try {
      virtualThreads =
          (ExecutorService)
              Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException e) {
      assumeTrue(false, "virtual threads need JDK 21");
      return;
    }
    int calls = 5_000;
    try (Brownout runtime = Brownout.builder().build()) {
      Guard guard =
          runtime
              .guard("virtual")
              .bulkhead(
                  BulkheadConfig.builder()
                      .maxConcurrentCalls(200)
                      .maxWaitDuration(Duration.ofSeconds(60))
                      .build())
              .timeout(Duration.ofSeconds(30))
              .build();
      List<Future<String>> results = new ArrayList<>();
      try {
        for (int i = 0; i < calls; i++) {
          results.add(
              virtualThreads.submit(
                  () ->
                      guard.call(
                          () -> {
                            Thread.sleep(1);
                            return "served";
                          })));
        }
        for (Future<String> result : results) {
          assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("served");
        }
      } finally {
        virtualThreads.shutdownNow();
      }
    }
  }
}
