package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
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

/**
 * Propagators that fail at random, in attach or restore, with exceptions or errors (issue 15,
 * finding 15, as a property): every task ends with its own value or its attach failure, no worker
 * dies, no context outlives its task on a worker, and every failing restore is counted.
 */
class ContextPropagatorFailureProperties {

  private static final int TASKS = 120;

  /** How one propagator fails: on every n-th attach or restore (0: never), with an Error or not. */
  record Plan(int attachEvery, int restoreEvery, boolean errors) {}

  /** Thrown by a failing attach, so a test can tell it from anything else. */
  static final class AttachFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AttachFailed() {
      super("attach failed");
    }
  }

  /**
   * A propagator over a thread-local, failing as its plan says. A worker's own value is null, so an
   * attach that finds a value there has found a context some earlier task left behind.
   */
  private static final class Flaky implements ContextPropagator<Integer> {
    private final Plan plan;
    private final ThreadLocal<Integer> current = new ThreadLocal<>();
    private final AtomicInteger attaches = new AtomicInteger();
    private final AtomicInteger restores = new AtomicInteger();
    final AtomicInteger restoreThrows = new AtomicInteger();
    final AtomicInteger leftBehind = new AtomicInteger();

    Flaky(Plan plan) {
      this.plan = plan;
    }

    @Override
    public Integer capture() {
      return 1;
    }

    @Override
    public Integer attach(Integer captured) {
      if (current.get() != null) {
        leftBehind.incrementAndGet();
      }
      if (plan.attachEvery() > 0 && attaches.incrementAndGet() % plan.attachEvery() == 0) {
        throw new AttachFailed();
      }
      Integer before = current.get();
      current.set(captured);
      return before;
    }

    @Override
    public void restore(Integer previous) {
      current.set(previous);
      if (plan.restoreEvery() > 0 && restores.incrementAndGet() % plan.restoreEvery() == 0) {
        restoreThrows.incrementAndGet();
        if (plan.errors()) {
          throw new AssertionError("restore failed");
        }
        throw new IllegalStateException("restore failed");
      }
    }
  }

  @Property(tries = 100)
  void everyTaskKeepsItsOutcomeNoWorkerDiesAndEveryFailingRestoreIsCounted(
      @ForAll("plans") List<Plan> plans) throws Exception {
    List<Flaky> propagators = plans.stream().map(Flaky::new).toList();
    AtomicInteger threads = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();
    ExecutorConfig.Builder config =
        ExecutorConfig.builder()
            .maxRunning(2)
            .maxQueued(TASKS)
            .threadFactory(
                task -> {
                  Thread thread =
                      new Thread(task, "flaky-propagators-" + threads.incrementAndGet());
                  thread.setDaemon(true);
                  thread.setUncaughtExceptionHandler((t, e) -> escaped.add(e));
                  return thread;
                });
    propagators.forEach(config::contextPropagator);
    BoundedExecutor executor = BoundedExecutor.of("flaky-propagators", config.build());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    executor.metrics().bindTo(registry);

    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      int value = i;
      results.add(executor.submit(() -> value));
    }
    for (int i = 0; i < TASKS; i++) {
      try {
        assertThat(results.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
      } catch (ExecutionException failed) {
        assertThat(failed.getCause()).isInstanceOf(AttachFailed.class);
      }
    }
    executor.shutdown();
    assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    assertThat(escaped).isEmpty();
    assertThat(threads.get()).isLessThanOrEqualTo(2);
    assertThat(propagators).allSatisfy(p -> assertThat(p.leftBehind).hasValue(0));
    assertThat(registry.get("brownout.executor.context.failed").functionCounter().count())
        .isEqualTo(propagators.stream().mapToInt(p -> p.restoreThrows.get()).sum());
  }

  @Provide
  Arbitrary<List<Plan>> plans() {
    Arbitrary<Integer> every = Arbitraries.of(0, 0, 1, 2, 3, 7);
    return Combinators.combine(every, every, Arbitraries.of(true, false))
        .as(Plan::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }
}
