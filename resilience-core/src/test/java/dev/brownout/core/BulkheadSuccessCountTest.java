package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * A guard that owns its bulkhead counts its successes in the bulkhead's cells, in the same atomic add
 * that returns the permit. These tests hold that count to the plain one: exact, never decreasing,
 * across the fold at 2^31 per stripe, for shared bulkheads and for every path a success can take.
 */
class BulkheadSuccessCountTest {

  private static final long FOLD_AT = 1L << 31;

  private static Bulkhead bulkhead(int max) {
    return new Bulkhead("counted", BulkheadConfig.builder().maxConcurrentCalls(max).build());
  }

  @Provide
  Arbitrary<List<Integer>> operations() {
    // 0: take a permit, 1: return one plainly, 2: return one after a success; on any of 4 stripes.
    return Arbitraries.integers().between(0, 11).list().ofMaxSize(300);
  }

  @Property(tries = 300)
  void successesAndPermitsMatchAModelAcrossTheFold(
      @ForAll @IntRange(min = 1, max = 20) int max,
      @ForAll @LongRange(min = 0, max = 200) long belowFold,
      @ForAll("operations") List<Integer> operations) {
    Bulkhead bulkhead = bulkhead(max);
    long preset = 0;
    for (int stripe = 0; stripe < Math.min(4, Stripes.COUNT); stripe++) {
      bulkhead.presetSuccesses(stripe, FOLD_AT - belowFold - stripe);
      preset += FOLD_AT - belowFold - stripe;
    }
    long successes = preset;
    int held = 0;
    for (int operation : operations) {
      int stripe = (operation / 3) % Math.min(4, Stripes.COUNT);
      switch (operation % 3) {
        case 0 -> {
          boolean taken = bulkhead.tryAcquire(stripe);
          assertThat(taken).isEqualTo(held < max);
          held += taken ? 1 : 0;
        }
        case 1 -> {
          if (held > 0) {
            bulkhead.release(stripe);
            held--;
          }
        }
        default -> {
          if (held > 0) {
            bulkhead.releaseAfterSuccess(stripe);
            held--;
            successes++;
          }
        }
      }
      assertThat(bulkhead.successes()).isEqualTo(successes);
      assertThat(bulkhead.availablePermits() + held).isEqualTo(max);
    }
  }

  @Test
  void aCountFoldedTwiceOnOneStripeIsNotLost() {
    Bulkhead bulkhead = bulkhead(1);
    bulkhead.presetSuccesses(0, FOLD_AT - 2);
    for (int i = 0; i < 6; i++) {
      assertThat(bulkhead.tryAcquire(0)).isTrue();
      bulkhead.releaseAfterSuccess(0);
    }
    assertThat(bulkhead.successes()).isEqualTo(FOLD_AT + 4);
    // Fold the same stripe a second time.
    bulkhead.presetSuccesses(0, FOLD_AT - 5);
    for (int i = 0; i < 6; i++) {
      assertThat(bulkhead.tryAcquire(0)).isTrue();
      bulkhead.releaseAfterSuccess(0);
    }
    assertThat(bulkhead.successes()).isEqualTo(2 * FOLD_AT + 5);
    assertThat(bulkhead.availablePermits()).isEqualTo(1);
  }

  @Test
  void aReaderNeverSeesTheCountGoBackWhileThreadsFoldIt() throws Exception {
    int threads = 4;
    int perThread = 200_000;
    Bulkhead bulkhead = bulkhead(threads);
    long preset = 0;
    for (int stripe = 0; stripe < Stripes.COUNT; stripe++) {
      // Every stripe a few thousand successes short of its fold, so the writers fold while a reader reads.
      bulkhead.presetSuccesses(stripe, FOLD_AT - 1_000L * (stripe + 1));
      preset += FOLD_AT - 1_000L * (stripe + 1);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      CyclicBarrier start = new CyclicBarrier(threads + 1);
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int stripeOffset = t;
        writers.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            int stripe = (i + stripeOffset) % Stripes.COUNT;
            assertThat(bulkhead.tryAcquire(stripe)).isTrue();
            bulkhead.releaseAfterSuccess(stripe);
          }
          return null;
        }));
      }
      Future<Long> reader = pool.submit(() -> {
        start.await();
        long last = 0;
        long reads = 0;
        while (writing.get()) {
          long now = bulkhead.successes();
          assertThat(now).isGreaterThanOrEqualTo(last);
          last = now;
          reads++;
        }
        return reads;
      });
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
      assertThat(bulkhead.successes()).isEqualTo(preset + (long) threads * perThread);
      assertThat(bulkhead.availablePermits()).isEqualTo(threads);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void guardsSharingABulkheadEachCountOnlyTheirOwnSuccesses() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Bulkhead shared = brownout.bulkhead("shared", BulkheadConfig.builder().maxConcurrentCalls(2).build());
      Guard first = brownout.guard("first").bulkhead(shared).build();
      Guard second = brownout.guard("second").bulkhead(shared).build();
      Guard async = brownout.guard("async").bulkhead(shared).build();
      for (int i = 0; i < 7; i++) {
        first.call(() -> "ok");
      }
      for (int i = 0; i < 3; i++) {
        second.call(() -> "ok");
      }
      first.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ok")).toCompletableFuture().join();
      async.callAsync(() -> java.util.concurrent.CompletableFuture.completedFuture("ok")).toCompletableFuture().join();

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
      Guard guard = brownout.guard("busy")
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
          .retry(RetryConfig.builder()
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
      Guard guard = brownout.guard("picky")
          .circuitBreaker(CircuitBreakerConfig.builder()
              .recordResult(result -> {
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
      Guard guard = brownout.guard("sneaky")
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
          .retry(RetryConfig.builder().maxAttempts(2).retryOnResult(result -> sneakyThrow(new IOException("from a predicate"))).build())
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
      Guard guard = brownout.guard("timed")
          .bulkhead(BulkheadConfig.ofDefaults())
          .recordLatency(true)
          .build();
      for (int i = 0; i < 4; i++) {
        guard.call(() -> {
          ticker.advance(Duration.ofMillis(5));
          return "ok";
        });
      }
      assertThatThrownBy(() -> guard.call(() -> {
        throw new IOException("down");
      })).isInstanceOf(IOException.class);

      FunctionTimer successes = registry.get("brownout.calls").tags("guard", "timed", "outcome", "success").functionTimer();
      assertThat(successes.count()).isEqualTo(4);
      assertThat(successes.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
      assertThat(guard.counts().failure()).isEqualTo(1);
      assertThat(guard.latency().count()).isEqualTo(5);
    }
  }
}
