package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a guard's circuit breaker rejects: an open breaker throws one shared stackless exception, and
 * concurrent callers never hold more half-open probes than permitted.
 */
class GuardBreakerTest {

  private static final int THREADS = 8;

  @Test
  void anOpenBreakerRejectsWithTheSameStacklessException() {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard =
          brownout.guard("open").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      guard.circuitBreaker().orElseThrow().forceOpen();

      Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> "x"));
      Throwable second =
          org.assertj.core.api.Assertions.catchThrowable(() -> guard.call(() -> "x"));

      assertThat(first).isInstanceOf(CallNotPermittedException.class).isSameAs(second);
      assertThat(first.getStackTrace()).isEmpty();
      assertThat(((RejectedCallException) first).source()).isEqualTo("open");
    }
  }

  @Test
  void concurrentProbesNeverExceedThePermittedNumber() throws Exception {
    ManualTicker ticker = new ManualTicker();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
      CircuitBreaker breaker =
          brownout.circuitBreaker(
              "probed",
              CircuitBreakerConfig.builder()
                  .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 10, 10)
                  .permittedNumberOfCallsInHalfOpenState(4)
                  .waitDurationInOpenState(Duration.ofSeconds(1))
                  .build());
      AtomicInteger probesOut = new AtomicInteger();
      AtomicInteger worst = new AtomicInteger();
      for (int round = 0; round < 50; round++) {
        breaker.reset();
        for (int i = 0; i < 10; i++) {
          breaker.tryAcquirePermission();
          breaker.onError(0, new IOException("down"));
        }
        ticker.advance(Duration.ofSeconds(2));
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          workers.add(
              threads.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                      if (breaker.tryAcquirePermission()) {
                        boolean probe = breaker.state() == CircuitBreaker.State.HALF_OPEN;
                        if (probe) {
                          worst.accumulateAndGet(probesOut.incrementAndGet(), Math::max);
                          probesOut.decrementAndGet();
                        }
                        breaker.releasePermission();
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> worker : workers) {
          worker.get(60, TimeUnit.SECONDS);
        }
      }
      assertThat(worst.get()).isBetween(1, 4);
    } finally {
      threads.shutdownNow();
    }
  }
}
