package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bulkhead on its own: permits across stripes, waiting for a permit, and the success count it
 * keeps in its cells.
 */
class BulkheadTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static Bulkhead bulkhead(int max, Duration wait) {
    return new Bulkhead(
        "b", BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(wait).build());
  }

  @Property(tries = 500)
  void availablePlusHeldIsAlwaysTheLimitAndAcquireSucceedsIffAPermitIsFree(
      @ForAll @IntRange(min = 1, max = 40) int max,
      @ForAll @Size(max = 200) List<Boolean> acquires) {
    Bulkhead bulkhead = bulkhead(max, Duration.ZERO);
    int held = 0;
    for (boolean acquire : acquires) {
      if (acquire) {
        boolean taken = bulkhead.tryAcquire();
        assertThat(taken).isEqualTo(held < max);
        if (taken) {
          held++;
        }
      } else if (held > 0) {
        bulkhead.release();
        held--;
      }
      assertThat(bulkhead.availablePermits() + held).isEqualTo(max);
    }
  }

  @Test
  void aPermitMovingBetweenStripesIsNeverMissed() throws Exception {
    // As many threads as permits, each taking from one stripe and returning to another: permits
    // move
    // all the time, yet whenever a thread asks, at least one is free, so it must get one.
    int max = 4;
    int perThread = 300_000;
    Bulkhead bulkhead = bulkhead(max, Duration.ZERO);
    CyclicBarrier start = new CyclicBarrier(max);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < max; t++) {
      workers.add(
          threads.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  int stripe = ThreadLocalRandom.current().nextInt(Stripes.COUNT);
                  assertThat(bulkhead.tryAcquire(stripe)).as("a permit was free").isTrue();
                  bulkhead.release((stripe + 1) & (Stripes.COUNT - 1));
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS);
    }
    assertThat(bulkhead.availablePermits()).isEqualTo(max);
  }

  @Test
  void aWaitingCallIsAdmittedWhenAPermitIsReturned() throws Exception {
    Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(30));
    assertThat(bulkhead.tryAcquire()).isTrue();

    Future<Boolean> waiter = threads.submit(() -> bulkhead.acquire(Stripes.current()));
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.toString().contains("0/1"));
    bulkhead.release();

    assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bulkhead.availablePermits()).isZero();
  }

  @Test
  void aWaitingCallIsRejectedWhenTheWaitEnds() throws Exception {
    Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(20));
    assertThat(bulkhead.tryAcquire()).isTrue();

    assertThat(bulkhead.acquire(Stripes.current())).isFalse();
    assertThat(bulkhead.availablePermits()).isZero();
  }

  /*
   * A guard that owns its bulkhead counts its successes in the bulkhead's cells, in the same atomic add
   * that returns the permit. The tests below hold that count to the plain one: exact, never decreasing,
   * across the fold at 2^31 per stripe (GuardBulkheadTest follows it through the guard's paths).
   */

  private static final long FOLD_AT = 1L << 31;

  private static Bulkhead bulkhead(int max) {
    return bulkhead(max, Duration.ZERO);
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
      // Every stripe a few thousand successes short of its fold, so the writers fold while a reader
      // reads.
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
        writers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    int stripe = (i + stripeOffset) % Stripes.COUNT;
                    assertThat(bulkhead.tryAcquire(stripe)).isTrue();
                    bulkhead.releaseAfterSuccess(stripe);
                  }
                  return null;
                }));
      }
      Future<Long> reader =
          pool.submit(
              () -> {
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
}
