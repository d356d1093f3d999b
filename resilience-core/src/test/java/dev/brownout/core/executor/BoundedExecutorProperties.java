package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Random mixes of submissions (to the executor and to a partition), task lengths (held by latches
 * the property opens), failures, errors and cancellations.
 */
class BoundedExecutorProperties {

  enum Body {
    QUICK,
    HELD,
    FAILS,
    ERRS
  }

  sealed interface Action permits Submit, Open, Cancel {}

  record Submit(boolean toPartition, Body body) implements Action {}

  record Open(int task) implements Action {}

  record Cancel(int task, boolean interrupt) implements Action {}

  /** One submitted task and what its body saw. */
  static final class Task {
    final Body body;
    final boolean inPartition;
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger runs = new AtomicInteger();
    Future<String> future;
    boolean rejected;

    Task(Body body, boolean inPartition) {
      this.body = body;
      this.inPartition = inPartition;
    }
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    Arbitrary<Action> submit =
        Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(Body.class))
            .as(Submit::new);
    Arbitrary<Action> open = Arbitraries.integers().between(0, 60).map(Open::new);
    Arbitrary<Action> cancel =
        Combinators.combine(Arbitraries.integers().between(0, 60), Arbitraries.of(true, false))
            .as(Cancel::new);
    return Arbitraries.frequencyOf(Tuple.of(6, submit), Tuple.of(3, open), Tuple.of(1, cancel))
        .list()
        .ofMaxSize(60);
  }

  @Property(tries = 300)
  void boundsHoldAndEveryTaskEndsExactlyOnce(
      @ForAll @IntRange(min = 1, max = 5) int maxRunning,
      @ForAll @IntRange(min = 0, max = 5) int maxQueued,
      @ForAll @IntRange(min = 10, max = 100) int partitionPercent,
      @ForAll boolean partitioned,
      @ForAll("actions") List<Action> actions)
      throws Exception {
    ExecutorConfig.Builder config =
        ExecutorConfig.builder().maxRunning(maxRunning).maxQueued(maxQueued);
    if (partitioned) {
      config.partition("p", partitionPercent);
    }
    BoundedExecutor executor = BoundedExecutor.of("property", config.build());
    // Without a partition, "partition" tasks go to the executor, whose bounds they then share.
    BoundedExecutor partition = partitioned ? executor.partition("p") : executor;
    AtomicInteger running = new AtomicInteger();
    AtomicInteger runningInPartition = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    AtomicInteger mostInPartition = new AtomicInteger();
    List<Task> tasks = new ArrayList<>();
    boolean checked = false;
    try {
      for (Action action : actions) {
        if (action instanceof Submit submit) {
          Task task = new Task(submit.body(), submit.toPartition());
          tasks.add(task);
          BoundedExecutor target = submit.toPartition() ? partition : executor;
          try {
            task.future =
                target.submit(
                    "t" + tasks.size(),
                    () -> {
                      task.runs.incrementAndGet();
                      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                      if (task.inPartition) {
                        mostInPartition.accumulateAndGet(
                            runningInPartition.incrementAndGet(), Math::max);
                      }
                      try {
                        return run(task);
                      } finally {
                        running.decrementAndGet();
                        if (task.inPartition) {
                          runningInPartition.decrementAndGet();
                        }
                      }
                    });
          } catch (ExecutorSaturatedException e) {
            task.rejected = true;
          }
        } else if (action instanceof Open open && !tasks.isEmpty()) {
          tasks.get(open.task() % tasks.size()).gate.countDown();
        } else if (action instanceof Cancel cancel && !tasks.isEmpty()) {
          Task task = tasks.get(cancel.task() % tasks.size());
          if (task.future != null) {
            task.future.cancel(cancel.interrupt());
          }
        }
        assertThat(executor.running()).isBetween(0, maxRunning);
        assertThat(executor.queued()).isBetween(0, maxQueued);
        assertThat(partition.running()).isBetween(0, partition.maxRunning());
        assertThat(partition.queued()).isBetween(0, partition.maxQueued());
      }
      for (Task task : tasks) {
        task.gate.countDown();
      }

      int completed = 0;
      int failed = 0;
      int cancelled = 0;
      int rejected = 0;
      for (Task task : tasks) {
        if (task.rejected) {
          rejected++;
          assertThat(task.runs).hasValue(0);
          continue;
        }
        try {
          assertThat(task.future.get(10, TimeUnit.SECONDS)).isEqualTo("done");
          completed++;
          assertThat(task.runs).hasValue(1);
        } catch (CancellationException e) {
          cancelled++;
          assertThat(task.runs.get()).isBetween(0, 1);
        } catch (ExecutionException e) {
          failed++;
          assertThat(task.runs).hasValue(1);
          assertThat(task.body).isIn(Body.FAILS, Body.ERRS);
        }
      }
      assertThat(completed + failed + cancelled + rejected).isEqualTo(tasks.size());
      assertThat(executor.rejected()).isEqualTo(rejected);
      assertThat(mostRunning.get()).isLessThanOrEqualTo(maxRunning);
      assertThat(mostInPartition.get()).isLessThanOrEqualTo(partition.maxRunning());
      checked = true;
    } finally {
      for (Task task : tasks) {
        task.gate.countDown();
      }
      // After a failure above, stop at once and let that failure stand: asserting on this drain
      // would replace it (a task that never ended failed first at its future's get, not here).
      DrainReport report = executor.shutdown(checked ? Duration.ofSeconds(10) : Duration.ZERO);
      if (checked) {
        assertThat(report.clean()).as("%s", report).isTrue();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(executor.running()).isZero();
        assertThat(executor.queued()).isZero();
      }
    }
  }

  private static String run(Task task) throws InterruptedException {
    switch (task.body) {
      case HELD -> task.gate.await();
      case FAILS -> throw new IllegalStateException("task failed on purpose");
      case ERRS -> throw new AssertionError("task erred on purpose");
      case QUICK -> {}
    }
    return "done";
  }
}
