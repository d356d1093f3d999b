package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Eight threads through one guard with a breaker, a bulkhead, a retry and a fallback: every call
 * ends in exactly one outcome, counted once on the meters and in the counts, and no permit leaks.
 */
class GuardConcurrencyTest {

  private static final int THREADS = 8;
  private static final int CALLS = 20_000;

  @Test
  void everyCallEndsInExactlyOneOutcomeAndNoPermitLeaks() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard =
          brownout
              .guard("shared")
              .circuitBreaker(
                  CircuitBreakerConfig.builder()
                      .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 50, 20)
                      .waitDurationInOpenState(Duration.ofMillis(1))
                      .permittedNumberOfCallsInHalfOpenState(3)
                      .build())
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(3).build())
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(2)
                      .backoff(Backoff.fixed(Duration.ZERO))
                      .build())
              .build();
      AtomicLong observed = new AtomicLong();
      AtomicLong succeeded = new AtomicLong();
      AtomicInteger running = new AtomicInteger();
      AtomicInteger highest = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        workers.add(
            threads.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < CALLS; i++) {
                    boolean useFallback = (i & 1) == 0;
                    try {
                      Fallback<String> fallback = useFallback ? Fallback.value("fb") : null;
                      String result =
                          guard.call(
                              () -> {
                                highest.accumulateAndGet(running.incrementAndGet(), Math::max);
                                try {
                                  if (ThreadLocalRandom.current().nextInt(100) < 30) {
                                    throw new IOException("down");
                                  }
                                  return "ok";
                                } finally {
                                  running.decrementAndGet();
                                }
                              },
                              fallback);
                      if (result.equals("ok")) {
                        succeeded.incrementAndGet();
                      }
                    } catch (IOException | RejectedCallException expected) {
                      // failures and rejections without a fallback reach the caller
                    }
                    observed.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get(120, TimeUnit.SECONDS);
      }

      double counted =
          registry.find("brownout.calls").tag("guard", "shared").functionTimers().stream()
              .mapToDouble(FunctionTimer::count)
              .sum();
      assertThat(observed.get()).isEqualTo((long) THREADS * CALLS);
      assertThat((long) counted).isEqualTo(observed.get());
      assertThat(guard.counts().total()).isEqualTo(observed.get());
      assertThat(guard.counts().success()).isEqualTo(succeeded.get());
      assertThat(highest.get()).isLessThanOrEqualTo(3);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).isEqualTo(3);
    } finally {
      threads.shutdownNow();
    }
  }
}
