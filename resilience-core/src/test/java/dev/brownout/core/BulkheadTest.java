package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BulkheadTest {

  private final ExecutorService threads = Executors.newFixedThreadPool(8);

  @AfterEach
  void stop() throws InterruptedException {
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static Bulkhead bulkhead(int max, Duration wait) {
    return new Bulkhead("b", BulkheadConfig.builder().maxConcurrentCalls(max).maxWaitDuration(wait).build());
  }

  @Property(tries = 500)
  void availablePlusHeldIsAlwaysTheLimitAndAcquireSucceedsIffAPermitIsFree(
      @ForAll @IntRange(min = 1, max = 40) int max, @ForAll @Size(max = 200) List<Boolean> acquires) {
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
  void manyThreadsNeverRunMoreCallsThanTheLimit() throws Exception {
    int max = 3;
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard = brownout.guard("limited").bulkhead(BulkheadConfig.builder().maxConcurrentCalls(max).build()).build();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger highest = new AtomicInteger();
      AtomicInteger admitted = new AtomicInteger();
      AtomicInteger rejected = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(8);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(threads.submit(() -> {
          start.await();
          for (int i = 0; i < 20_000; i++) {
            try {
              guard.call(() -> {
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
  void aPermitMovingBetweenStripesIsNeverMissed() throws Exception {
    // As many threads as permits, each taking from one stripe and returning to another: permits move
    // all the time, yet whenever a thread asks, at least one is free, so it must get one.
    int max = 4;
    int perThread = 300_000;
    Bulkhead bulkhead = bulkhead(max, Duration.ZERO);
    CyclicBarrier start = new CyclicBarrier(max);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < max; t++) {
      workers.add(threads.submit(() -> {
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
  void noPermitLeaksWhenCallsThrowErrorsOrAreInterrupted() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard = brownout.guard("leaky").bulkhead(BulkheadConfig.builder().maxConcurrentCalls(4).build()).build();
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        workers.add(threads.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            int kind = ThreadLocalRandom.current().nextInt(4);
            try {
              guard.call(() -> {
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
      Guard guard = brownout.guard("slow")
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
          .timeout(Duration.ofMillis(50))
          .build();
      CountDownLatch interrupted = new CountDownLatch(1);

      Future<?> caller = threads.submit(() -> guard.call(() -> {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
        }
        return null;
      }));

      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> guard.bulkhead().orElseThrow().availablePermits() == 1);
      assertThat(caller).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingCause().isInstanceOf(CallTimeoutException.class);
    }
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

  @Test
  void anInterruptWhileWaitingIsARejectionWithTheFlagRestored() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard = brownout.guard("waiting")
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).maxWaitDuration(Duration.ofMinutes(1)).build())
          .build();
      CountDownLatch holding = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder = threads.submit(() -> guard.call(() -> {
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
}
