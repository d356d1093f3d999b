package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TasksTest {

  private final CapturingLog log = new CapturingLog();
  private final Recover recover = Recover.builder().log(log).build();

  @Test
  void aCrashingRunnableBecomesAnIncidentAndThePoolKeepsItsWorker() throws Exception {
    AtomicInteger threadsMade = new AtomicInteger();
    ExecutorService pool =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            runnable -> {
              threadsMade.incrementAndGet();
              return new Thread(runnable, "report-worker");
            });
    CountDownLatch after = new CountDownLatch(1);
    try {
      pool.execute(
          recover.runnable(
              "nightly-report",
              () -> {
                throw new IllegalStateException("no data");
              }));
      pool.execute(after::countDown);

      assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }

    assertThat(threadsMade).hasValue(1);
    assertThat(log.incidents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.incident().place()).isEqualTo("nightly-report");
              assertThat(e.incident().throwableClass())
                  .isEqualTo("java.lang.IllegalStateException");
            });
  }

  @Test
  void aHealthyRunnableRunsAsItIs() {
    AtomicInteger runs = new AtomicInteger();

    recover.runnable("count", runs::incrementAndGet).run();

    assertThat(runs).hasValue(1);
    assertThat(log.incidents()).isEmpty();
  }

  @Test
  void aCrashingCallableReturnsTheFallbackForItsIncident() throws Exception {
    Callable<String> summary =
        recover.callable(
            "summary",
            () -> {
              throw new java.io.IOException("disk");
            },
            incident -> "unavailable (" + incident.id() + ")");

    String result = summary.call();

    assertThat(result).isEqualTo("unavailable (" + log.incidents().get(0).incident().id() + ")");
  }

  @Test
  void aCallableFallbackMayFailTheCallWithAnExceptionThatNamesTheIncident() {
    Callable<String> summary =
        recover.callable(
            "summary",
            () -> {
              throw new java.io.IOException("disk");
            },
            incident -> {
              throw new IllegalStateException("summary failed, see " + incident.id());
            });

    assertThatThrownBy(summary::call).hasMessageStartingWith("summary failed, see inc-");
    assertThat(log.incidents()).hasSize(1);
  }

  @Test
  void aFatalErrorInATaskIsRethrownOnceLogged() {
    OutOfMemoryError oom = new OutOfMemoryError();

    assertThatThrownBy(
            () ->
                recover
                    .runnable(
                        "load",
                        () -> {
                          throw oom;
                        })
                    .run())
        .isSameAs(oom);
    assertThat(log.incidents())
        .singleElement()
        .satisfies(e -> assertThat(e.incident().outcome()).isEqualTo(Incident.Outcome.RETHROWN));
  }

  @Test
  void aThreadThatDiesOfAnUncaughtThrowableLeavesAnIncident() throws Exception {
    Thread worker =
        new Thread(
            () -> {
              throw new IllegalStateException("lost");
            },
            "importer-12");
    worker.setUncaughtExceptionHandler(recover.uncaughtExceptionHandler());

    worker.start();
    worker.join(Duration.ofSeconds(10).toMillis());

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(log.incidents())
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.incident().place()).isEqualTo("importer-#");
                          assertThat(e.incident().outcome())
                              .isEqualTo(Incident.Outcome.THREAD_ENDED);
                        }));
  }

  @Test
  void taskNamesAndFallbacksAreRequired() {
    assertThatThrownBy(() -> recover.callable("", () -> 1, incident -> 0))
        .hasMessage("recover.callable.task must be a non-blank name, but was ''");
    assertThatThrownBy(() -> recover.callable("t", () -> 1, null))
        .hasMessage("recover.callable.fallback must not be null, but was null");
  }
}
