package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.executor.BoundedExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many callers at once through one experiment: every sampled call ends in exactly one result
 * (judged, timed out or skipped), none is lost or judged twice, and every caller gets its own
 * value.
 */
class ConcurrentCallsTest {

  private final TestRuntime runtime = new TestRuntime();

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void everySampledCallEndsInExactlyOneResult() throws Exception {
    int threads = 8;
    int calls = 300;
    long total = (long) threads * calls;
    Map<Verdict, LongAdder> verdicts = new ConcurrentHashMap<>();
    LongAdder results = new LongAdder();
    Experiment<Integer> experiment =
        Experiment.<Integer>builder(runtime.brownout, runtime.feature())
            .timeout(Duration.ofMillis(5))
            .publisher(
                result -> {
                  verdicts.computeIfAbsent(result.verdict(), v -> new LongAdder()).increment();
                  results.increment();
                })
            .build();
    ExecutorService callers = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        done.add(
            callers.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < calls; i++) {
                    Integer own = i;
                    Integer got =
                        experiment.run(
                            () -> own,
                            () -> {
                              if (own % 7 == 0) {
                                new CountDownLatch(1).await(); // hangs until interrupted
                              }
                              return own % 5 == 0 ? -1 : own;
                            });
                    assertThat(got).isSameAs(own);
                  }
                  return true;
                }));
      }
      start.countDown();
      for (Future<Boolean> each : done) {
        assertThat(each.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      callers.shutdownNow();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> results.sum() == total);
    Map<Verdict, Long> counted = new EnumMap<>(Verdict.class);
    verdicts.forEach((verdict, n) -> counted.put(verdict, n.sum()));
    assertThat(counted.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    assertThat(counted).containsKey(Verdict.SKIPPED); // two workers, eight callers
    BoundedExecutor lane =
        runtime.brownout.executors().stream()
            .filter(e -> e.name().equals(Experiments.DEFAULT_LANE))
            .findFirst()
            .orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> lane.running() == 0);
    assertThat(results.sum()).as("judged once each").isEqualTo(total);
  }
}
