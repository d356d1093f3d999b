package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@SuppressWarnings(
    "FutureReturnValueIgnored") // tasks held by gates: their futures are not what is tested
class BoundedExecutorTest {

  private BoundedExecutor executor;

  private BoundedExecutor executor(ExecutorConfig.Builder config) {
    executor = BoundedExecutor.of("test", config.build());
    return executor;
  }

  @AfterEach
  void stop() throws InterruptedException {
    MDC.clear();
    if (executor != null) {
      executor.shutdownNow();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void runsSubmittedTasksAndReturnsTheirResults() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(2));
    assertThat(executor.submit("answer", () -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(executor.invokeAll(List.of(() -> 1, () -> 2)))
        .extracting(Future::get)
        .containsExactly(1, 2);
  }

  @Test
  void aCallerWhoseAnswerHasArrivedFindsItsPermitFreeAgain() throws Exception {
    // One running slot and no queue: a caller that waits for each answer before it submits again
    // never has more than one task out, so it must never be refused.
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(0));
    for (int i = 0; i < 20_000; i++) {
      int n = i;
      assertThat(executor.submit("next", () -> n).get(10, TimeUnit.SECONDS)).isEqualTo(n);
    }
    assertThat(executor.rejected()).isZero();
  }

  @Test
  void onceTerminatedEveryFutureIsDone() throws Exception {
    // A future completes after its permits are back but before its task counts as gone, so
    // termination still comes after every future.
    for (int round = 0; round < 200; round++) {
      BoundedExecutor executor =
          BoundedExecutor.of("round", ExecutorConfig.builder().maxRunning(2).maxQueued(20).build());
      List<Future<Integer>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        futures.add(executor.submit("n", () -> n));
      }
      executor.shutdown();
      assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(futures).allMatch(Future::isDone);
    }
  }

  @Test
  void aTaskWhoseFailureCannotEvenBeLoggedStillLeavesTheExecutorAbleToEnd() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(5));
    Runnable hostile =
        new Runnable() {
          @Override
          public void run() {
            throw new IllegalStateException("fails");
          }

          @Override
          public String toString() {
            throw new IllegalStateException("and cannot be named in the log line");
          }
        };
    executor.execute(hostile);
    assertThat(executor.submit("after", () -> "ran").get(10, TimeUnit.SECONDS)).isEqualTo("ran");
    executor.shutdown();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskPastBothBoundsIsRejectedToItsCallerWithTheBoundsInTheMessage() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(1));
    Gate gate = new Gate();
    Future<String> running = executor.submit("running", () -> gate.pass("ran"));
    gate.awaitStarted();
    Future<Integer> queued = executor.submit("queued", () -> 2);
    assertThat(executor.queued()).isEqualTo(1);

    assertThatThrownBy(() -> executor.submit("third", () -> 3))
        .isInstanceOf(ExecutorSaturatedException.class)
        .hasMessage("executor 'test' is saturated: 1 running and 1 queued tasks at most");
    assertThat(executor.rejected()).isEqualTo(1);

    gate.open();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("ran");
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(2);
  }

  @Test
  void aCallerWaitsForRoomUpToMaxWait() throws Exception {
    BoundedExecutor executor =
        executor(
            ExecutorConfig.builder().maxRunning(1).maxQueued(0).maxWait(Duration.ofSeconds(30)));
    Gate gate = new Gate();
    executor.submit("first", () -> gate.pass("first"));
    gate.awaitStarted();
    AtomicReference<Future<String>> second = new AtomicReference<>();
    Thread caller = new Thread(() -> second.set(executor.submit("second", () -> "second")));
    caller.start();
    await().until(() -> caller.getState() == Thread.State.TIMED_WAITING);

    gate.open();
    caller.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(second.get().get(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(executor.rejected()).isZero();
  }

  @Test
  void aPartitionUsesAtMostItsShareAndLeavesTheRestToOthers() throws Exception {
    BoundedExecutor executor =
        executor(ExecutorConfig.builder().maxRunning(10).maxQueued(10).partition("feed", 30));
    BoundedExecutor feed = executor.partition("feed");
    assertThat(feed.maxRunning()).isEqualTo(3);
    assertThat(feed.maxQueued()).isEqualTo(3);
    Gate slow = new Gate();
    for (int i = 0; i < 6; i++) {
      feed.submit("feed-" + i, () -> slow.pass("feed"));
    }
    assertThat(feed.running()).isEqualTo(3);
    assertThat(feed.queued()).isEqualTo(3);
    assertThatThrownBy(() -> feed.submit("feed-7", () -> "feed"))
        .isInstanceOf(ExecutorSaturatedException.class)
        .hasMessage(
            "executor 'test' partition 'feed' is saturated: 3 running and 3 queued tasks at most")
        .satisfies(e -> assertThat(((ExecutorSaturatedException) e).partition()).isEqualTo("feed"));

    // The other seven workers still serve everyone else.
    Gate others = new Gate();
    for (int i = 0; i < 7; i++) {
      executor.submit("other-" + i, () -> others.pass("other"));
    }
    assertThat(executor.running()).isEqualTo(10);
    assertThat(executor.queued()).isEqualTo(3);
    assertThat(feed.rejected()).isEqualTo(1);
    slow.open();
    others.open();
    await().until(() -> executor.running() == 0 && executor.queued() == 0);
  }

  @Test
  void anUndeclaredPartitionIsAnErrorNamingTheDeclaredOnes() {
    BoundedExecutor executor = executor(ExecutorConfig.builder().partition("feed", 30));
    assertThatThrownBy(() -> executor.partition("search"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "executor.partition must be one of the partitions of executor 'test' [feed], but was 'search'");
    assertThatThrownBy(() -> executor.partition("feed").shutdown())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("call shutdown on the executor");
  }

  @Test
  void aFailingTaskCompletesItsFutureExceptionallyAndTheWorkerLivesOn() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1));
    AtomicReference<Thread> before = new AtomicReference<>();
    Future<Object> failed =
        executor.submit(
            "fails",
            () -> {
              before.set(Thread.currentThread());
              throw new IllegalStateException("boom");
            });
    assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    executor.execute(
        "errs",
        () -> {
          throw new StackOverflowError("deep");
        });
    await().until(() -> executor.failed() == 2);

    Future<Thread> after = executor.submit("after", Thread::currentThread);
    assertThat(after.get(10, TimeUnit.SECONDS)).isSameAs(before.get());
  }

  @Test
  void aTaskSeesItsSubmittersMdcAndTheWorkerIsClearedAfter() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1));
    MDC.put("request", "r-1");
    Future<String> seen = executor.submit("with-mdc", () -> MDC.get("request"));
    assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("r-1");
    assertThat(MDC.get("request")).isEqualTo("r-1");

    MDC.clear();
    Future<String> next =
        executor.submit(
            "without-mdc",
            () -> {
              String leftOver = MDC.get("request");
              MDC.put("request", "set-by-task");
              return leftOver;
            });
    assertThat(next.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(executor.submit("after", () -> MDC.get("request")).get(10, TimeUnit.SECONDS))
        .isNull();
  }

  @Test
  void aRegisteredPropagatorCarriesItsContextAndRestoresTheWorkers() throws Exception {
    ThreadLocal<String> tenant = new ThreadLocal<>();
    ContextPropagator<String> propagator =
        new ContextPropagator<>() {
          @Override
          public String capture() {
            return tenant.get();
          }

          @Override
          public String attach(String captured) {
            String previous = tenant.get();
            tenant.set(captured);
            return previous;
          }

          @Override
          public void restore(String previous) {
            tenant.set(previous);
          }
        };
    BoundedExecutor executor =
        executor(ExecutorConfig.builder().maxRunning(1).contextPropagator(propagator));
    tenant.set("acme");
    assertThat(executor.submit("tenant", tenant::get).get(10, TimeUnit.SECONDS)).isEqualTo("acme");
    tenant.remove();
    assertThat(executor.submit("no-tenant", tenant::get).get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  @SuppressWarnings("try") // the scope is there for its binding
  void aTaskThatWouldStartAfterItsDeadlineIsNotRun() throws Exception {
    ManualTicker ticker = new ManualTicker();
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).ticker(ticker));
    Gate gate = new Gate();
    executor.submit("blocker", () -> gate.pass("done"));
    gate.awaitStarted();
    AtomicReference<Boolean> ran = new AtomicReference<>(false);
    Future<String> late;
    try (Deadline.Scope scope = Deadline.after(Duration.ofSeconds(1), ticker).bind()) {
      late =
          executor.submit(
              "late",
              () -> {
                ran.set(true);
                return "late";
              });
    }
    assertThat(Deadline.current()).isEmpty();
    ticker.advance(Duration.ofSeconds(2));
    gate.open();

    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(TaskExpiredException.class)
        .hasMessage("task 'late' on executor 'test' was not run: its deadline had passed");
    assertThat(ran.get()).isFalse();
    assertThat(executor.failed()).isZero();
  }

  @Test
  @SuppressWarnings("try") // the scope is there for its binding
  void aTaskSeesTheDeadlineItWasSubmittedWith() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1));
    Deadline deadline = Deadline.after(Duration.ofMinutes(5));
    try (Deadline.Scope scope = deadline.bind()) {
      assertThat(
              executor
                  .submit("in-time", () -> Deadline.current().orElseThrow())
                  .get(10, TimeUnit.SECONDS))
          .isSameAs(deadline);
    }
    assertThat(executor.submit("no-deadline", Deadline::current).get(10, TimeUnit.SECONDS))
        .isEmpty();
  }

  @Test
  void shutdownNowCancelsQueuedTasksAndInterruptsRunningOnes() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(2));
    Gate gate = new Gate();
    Future<String> running = executor.submit("running", () -> gate.pass("never"));
    gate.awaitStarted();
    Future<String> queued = executor.submit("queued", () -> "never");

    List<Runnable> notRun = executor.shutdownNow();
    assertThat(notRun).containsExactly((Runnable) queued);
    assertThat(queued.isCancelled()).isTrue();
    assertThat(running.isCancelled()).isTrue();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> executor.submit("late", () -> "late"))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
        .hasMessage("executor 'test' is shut down; task 'late' was not accepted");
  }

  @Test
  void aCancelledQueuedTaskGivesBackItsQueueSlot() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(1));
    Gate gate = new Gate();
    executor.submit("running", () -> gate.pass("ran"));
    gate.awaitStarted();
    Future<String> queued = executor.submit("queued", () -> "queued");
    assertThat(queued.cancel(false)).isTrue();
    assertThat(executor.queued()).isZero();
    Future<String> next = executor.submit("next", () -> "next");
    gate.open();
    assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
  }

  @Test
  void queuedTasksEachRunWithTheirOwnSubmittersMdc() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(3));
    Gate gate = new Gate();
    executor.submit("running", () -> gate.pass("ran"));
    gate.awaitStarted();
    MDC.put("request", "r-1");
    Future<String> first = executor.submit("first", () -> MDC.get("request"));
    MDC.clear();
    Future<String> second =
        executor.submit(
            "second",
            () -> {
              String leftOver = MDC.get("request");
              MDC.put("request", "set-by-task");
              return leftOver;
            });
    MDC.put("request", "r-3");
    Future<String> third = executor.submit("third", () -> MDC.get("request"));
    MDC.clear();
    assertThat(executor.queued()).isEqualTo(3);
    gate.open();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("r-1");
    assertThat(second.get(10, TimeUnit.SECONDS)).isNull();
    assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo("r-3");
  }

  @Test
  void anInterruptMeantForACancelledTaskDoesNotReachTheTaskQueuedBehindIt() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(1).maxQueued(1));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean finish = new AtomicBoolean();
    Future<String> deaf =
        executor.submit(
            "deaf",
            () -> {
              started.countDown();
              while (!finish.get()) {
                Thread.onSpinWait(); // ignores its interrupt, which stays set when it returns
              }
              return "ended";
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Boolean> behind =
        executor.submit("behind", () -> Thread.currentThread().isInterrupted());
    assertThat(deaf.cancel(true)).isTrue();
    finish.set(true);
    assertThat(behind.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void awaitingTheFirstOfManyTasksWorksThroughTheExecutorServiceMethods() throws Exception {
    BoundedExecutor executor = executor(ExecutorConfig.builder().maxRunning(2));
    List<java.util.concurrent.Callable<String>> tasks = List.of(() -> "a", () -> "a");
    String first = executor.invokeAny(tasks);
    assertThat(first).isEqualTo("a");
    CompletableFuture<String> viaExecutor = CompletableFuture.supplyAsync(() -> "async", executor);
    assertThat(viaExecutor.get(10, TimeUnit.SECONDS)).isEqualTo("async");
  }
}
