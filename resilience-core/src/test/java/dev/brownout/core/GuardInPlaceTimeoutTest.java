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
   * How late the timer stops a call, over 10,000 timed-out calls on 8 threads: only the order of
   * the bound is asserted; the p99 is printed.
   */
  @Test
  void timedOutCallsAreStoppedNearTheirDeadline() throws Exception {
    int threads = 8;
    int perThread = 1_250;
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
                        guard.run(
                            () -> {
                              try {
                                Thread.sleep(60_000);
                              } catch (InterruptedException e) {
                                stopped[0] = System.nanoTime();
                                throw e;
                              }
                            });
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
        long p50 = all[all.length / 2];
        long p99 = all[all.length * 99 / 100];
        System.out.printf(
            "in-place timeout lateness over %,d fired timeouts: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
            all.length, p50 / 1e6, p99 / 1e6, all[all.length - 1] / 1e6);
        assertThat(all[0]).as("stopped before its deadline").isGreaterThanOrEqualTo(0);
        assertThat(p99).as("p99 lateness, ns").isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
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
