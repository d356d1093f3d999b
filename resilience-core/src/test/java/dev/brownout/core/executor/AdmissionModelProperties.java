package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * While no task ends, admission is deterministic, so a small model can say what each submission
 * must get: a worker, a queue slot, or a rejection, and never a rejection while its partition and
 * the executor have room for it. Actions: submit to one of three lanes (a negative number cancels
 * the task at that index, which frees its queue slot if it was waiting).
 */
class AdmissionModelProperties {

  /**
   * The executor as the model sees it: per lane (0 is the shared one) running and queued counts.
   */
  private static final class Model {
    final int[] maxRunning;
    final int[] maxQueued;
    final int[] running = new int[3];
    final int[] queued = new int[3];
    final int workers;
    final int queue;

    Model(BoundedExecutor executor, BoundedExecutor a, BoundedExecutor b) {
      maxRunning = new int[] {executor.maxRunning(), a.maxRunning(), b.maxRunning()};
      maxQueued = new int[] {executor.maxQueued(), a.maxQueued(), b.maxQueued()};
      workers = executor.maxRunning();
      queue = executor.maxQueued();
    }

    int totalRunning() {
      return running[0] + running[1] + running[2];
    }

    int totalQueued() {
      return queued[0] + queued[1] + queued[2];
    }

    boolean canRun(int lane) {
      return running[lane] < maxRunning[lane] && totalRunning() < workers;
    }

    /** 'R' runs, 'Q' waits, 'X' is rejected. */
    char submit(int lane) {
      if (totalQueued() == 0 && canRun(lane)) {
        running[lane]++;
        return 'R';
      }
      if (queued[lane] < maxQueued[lane] && totalQueued() < queue) {
        if (canRun(lane)) { // queued, and the dispatch pass starts it at once
          running[lane]++;
          return 'R';
        }
        queued[lane]++;
        return 'Q';
      }
      if (canRun(lane)) {
        running[lane]++;
        return 'R';
      }
      return 'X';
    }
  }

  @Provide
  Arbitrary<List<Integer>> actions() {
    Arbitrary<Integer> submit = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> cancel = Arbitraries.integers().between(-40, -1);
    return Arbitraries.frequencyOf(Tuple.of(6, submit), Tuple.of(1, cancel)).list().ofMaxSize(40);
  }

  @Property(tries = 300)
  void admissionFollowsTheModelAndRejectsOnlyWhenFull(
      @ForAll @IntRange(min = 1, max = 6) int maxRunning,
      @ForAll @IntRange(min = 0, max = 6) int maxQueued,
      @ForAll @IntRange(min = 10, max = 100) int shareA,
      @ForAll @IntRange(min = 10, max = 100) int shareB,
      @ForAll boolean partitioned,
      @ForAll("actions") List<Integer> actions)
      throws Exception {
    ExecutorConfig.Builder config =
        ExecutorConfig.builder().maxRunning(maxRunning).maxQueued(maxQueued);
    if (partitioned) {
      config.partition("a", shareA).partition("b", shareB);
    }
    BoundedExecutor executor = BoundedExecutor.of("model", config.build());
    // Without partitions every submission goes to the executor: the model's three lanes then have
    // the
    // executor's bounds, which its totals already enforce.
    BoundedExecutor[] lanes =
        partitioned
            ? new BoundedExecutor[] {executor, executor.partition("a"), executor.partition("b")}
            : new BoundedExecutor[] {executor, executor, executor};
    Model model = new Model(executor, lanes[1], lanes[2]);
    CountDownLatch hold = new CountDownLatch(1);
    List<Future<String>> futures = new ArrayList<>();
    List<Integer> laneOf = new ArrayList<>();
    List<Character> stateOf = new ArrayList<>();
    try {
      for (int action : actions) {
        if (action >= 0) {
          char expected = model.submit(action);
          if (expected == 'X') {
            assertThatThrownBy(
                    () ->
                        lanes[action].submit(
                            "held", () -> hold.await(1, TimeUnit.MINUTES) ? "ran" : "late"))
                .isInstanceOf(ExecutorSaturatedException.class);
            continue;
          }
          futures.add(
              lanes[action].submit("held", () -> hold.await(1, TimeUnit.MINUTES) ? "ran" : "late"));
          laneOf.add(action);
          stateOf.add(expected);
        } else if (!futures.isEmpty()) {
          int index = -action % futures.size();
          if (stateOf.get(index) == 'Q' && futures.get(index).cancel(false)) {
            model.queued[laneOf.get(index)]--;
            stateOf.set(index, 'C');
          }
        }
        assertThat(executor.running()).isEqualTo(model.totalRunning());
        assertThat(executor.queued()).isEqualTo(model.totalQueued());
        for (int lane = 1; partitioned && lane < 3; lane++) {
          assertThat(lanes[lane].running()).isEqualTo(model.running[lane]);
          assertThat(lanes[lane].queued()).isEqualTo(model.queued[lane]);
        }
      }
    } finally {
      hold.countDown();
      assertThat(executor.shutdown(Duration.ofSeconds(30)).clean()).isTrue();
    }
    for (int i = 0; i < futures.size(); i++) {
      if (stateOf.get(i) != 'C') {
        assertThat(futures.get(i).get()).isEqualTo("ran");
      }
    }
  }
}
