package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a guard's bulkhead admits calls: never more than its limit at once, a rejection counted once,
 * no permit lost whatever the call, its result predicate or a timeout does, and successes counted
 * in the bulkhead's own cells exact per guard and on the meters.
 */
class GuardBulkheadTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void manyThreadsNeverRunMoreCallsThanTheLimit() throws Exception {
    int max = 3;
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("limited")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(max).build())
              .build();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger highest = new AtomicInteger();
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger rejected = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(8);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 20_000; i++) {
                    try {
                      guard.call(
                          () -> {
                            int now = running.incrementAndGet();
                            highest.accumulateAndGet(now, Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return null;
                          });
                      admitted.incrementAndGet();
                    } catch (BulkheadFullException full) {
                      rejected.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }

      assertThat(highest.get()).isLessThanOrEqualTo(max).isPositive();
      assertThat(admitted.get() + rejected.get()).isEqualTo(8 * 20_000);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(max);
    }
  }

  @Test
  void noPermitLeaksWhenCallsThrowErrorsOrAreInterrupted() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("leaky")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(4).build())
              .build();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 5_000; i++) {
                    int kind = ThreadLocalRandom.current().nextInt(4);
                    try {
                      guard.call(
                          () -> {
                            switch (kind) {
                              case 0 -> throw new java.io.IOException("checked");
                              case 1 -> throw new IllegalStateException("unchecked");
                              case 2 -> throw new AssertionError("error");
                              default -> {
                                return "ok";
                              }
                            }
                          });
                    } catch (Exception | AssertionError expected) {
                      // every kind of failure is fine here; only the permits matter
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(60, TimeUnit.SECONDS);
      }
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(4);
    }
  }

  @Test
  void aTimedOutCallGivesItsPermitBackWhenItReallyEnds() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("slow")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .timeout(Duration.ofMillis(50))
              .build();
      CountDownLatch interrupted = new CountDownLatch(1);

      Future<?> caller =
          threads.submit(
              () ->
                  guard.call(
                      () -> {
                        try {
                          new CountDownLatch(1).await();
                        } catch (InterruptedException e) {
                          interrupted.countDown();
                        }
                        return null;
                      }));

      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> guard.bulkhead().orElseThrow().availablePermits() == 1);
      assertThat(caller)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .havingCause()
          .isInstanceOf(CallTimeoutException.class);
    }
  }

  @Test
  void anInterruptWhileWaitingIsARejectionWithTheFlagRestored() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("waiting")
              .bulkhead(
                  BulkheadConfig.builder()
                      .maxConcurrentCalls(1)
                      .maxWaitDuration(Duration.ofMinutes(1))
                      .build())
              .build();
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder =
          threads.submit(
              () ->
                  guard.call(
                      () -> {
                        holding.countDown();
                        release.await();
                        return null;
                      }));
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

      Thread.currentThread().interrupt();
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.call(() -> "never"))
            .isInstanceOf(BulkheadFullException.class);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
        release.countDown();
      }
      holder.get(10, TimeUnit.SECONDS);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  @Test
  void aBulkheadRejectionIsCountedOnce() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("counted-once")
              .circuitBreaker(
                  CircuitBreakerConfig.builder().permittedNumberOfCallsInHalfOpenState(1).build())
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .build();

      guard.call(
          () -> {
            assertThatThrownBy(() -> guard.call(() -> "nested"))
                .isInstanceOf(BulkheadFullException.class);
            return null;
          });

      assertThat(guard.counts()).isEqualTo(new CallCounts(1, 0, 1, 0, 0, 0, 0, 0));
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  @Test
  void anAsyncCallDoesNotWaitForAFullBulkhead() {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("async-full")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .build();
      CompletableFuture<String> pending = new CompletableFuture<>();
      guard.callAsync(() -> pending);

      CompletableFuture<String> second =
          guard.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture();

      assertThatThrownBy(second::join).hasCauseInstanceOf(BulkheadFullException.class);
      pending.complete("done");
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  @Test
  void guardsSharingABulkheadEachCountOnlyTheirOwnSuccesses() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Bulkhead shared =
          brownout.bulkhead("shared", BulkheadConfig.builder().maxConcurrentCalls(2).build());
      Guard first = brownout.guard("first").bulkhead(shared).build();
      Guard second = brownout.guard("second").bulkhead(shared).build();
      Guard async = brownout.guard("async").bulkhead(shared).build();
      for (int i = 0; i < 7; i++) {
        first.call(() -> "ok");
      }
      for (int i = 0; i < 3; i++) {
        second.call(() -> "ok");
      }
      first
          .callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ok"))
          .toCompletableFuture()
          .join();
      async
          .callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ok"))
          .toCompletableFuture()
          .join();

      assertThat(first.counts().success()).isEqualTo(8);
      assertThat(second.counts().success()).isEqualTo(3);
      assertThat(async.counts().success()).isEqualTo(1);
      assertThat(shared.availablePermits()).isEqualTo(2);
    }
  }

  @Test
  void aResultThatIsRetriedCountsOnceAndGivesEveryPermitBack() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      AtomicInteger attempts = new AtomicInteger();
      Guard guard =
          brownout
              .guard("busy")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(3)
                      .backoff(Backoff.fixed(Duration.ZERO))
                      .retryOnResult(result -> ((Integer) result) < 2)
                      .build())
              .build();

      assertThat(guard.call(attempts::getAndIncrement)).isEqualTo(2);
      assertThat(guard.call(() -> 0)).isZero(); // retried twice, then returned as it is

      assertThat(attempts).hasValue(3);
      assertThat(guard.counts().success()).isEqualTo(2);
      assertThat(guard.counts().total()).isEqualTo(2);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  @Test
  void aResultPredicateThatThrowsStillGivesThePermitBackAndCountsNoSuccess() {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("picky")
              .circuitBreaker(
                  CircuitBreakerConfig.builder()
                      .recordResult(
                          result -> {
                            throw new IllegalStateException("predicate bug");
                          })
                      .build())
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .build();

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> guard.call(() -> "ok")).hasMessage("predicate bug");
      }
      assertThat(guard.counts().success()).isZero();
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  @Test
  void aCheckedExceptionThrownSneakilyByAResultPredicateStillGivesThePermitBack() {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout
              .guard("sneaky")
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(2)
                      .retryOnResult(result -> sneakyThrow(new IOException("from a predicate")))
                      .build())
              .build();

      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> guard.call(() -> "ok")).isInstanceOf(IOException.class);
      }
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(1);
    }
  }

  /** Throws a checked exception past the compiler, as Kotlin code or Lombok's @SneakyThrows can. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> boolean sneakyThrow(Throwable thrown) throws E {
    throw (E) thrown;
  }

  @Test
  void successesCountedInTheBulkheadReachTheMetersWithTheirDurations() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManualTicker ticker = new ManualTicker();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).ticker(ticker).build()) {
      Guard guard =
          brownout.guard("timed").bulkhead(BulkheadConfig.ofDefaults()).recordLatency(true).build();
      for (int i = 0; i < 4; i++) {
        guard.call(
            () -> {
              ticker.advance(Duration.ofMillis(5));
              return "ok";
            });
      }
      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        throw new IOException("down");
                      }))
          .isInstanceOf(IOException.class);

      FunctionTimer successes =
          registry
              .get("brownout.calls")
              .tags("guard", "timed", "outcome", "success")
              .functionTimer();
      assertThat(successes.count()).isEqualTo(4);
      assertThat(successes.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
      assertThat(guard.counts().failure()).isEqualTo(1);
      assertThat(guard.latency().count()).isEqualTo(5);
    }
  }
}
