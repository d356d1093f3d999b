package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.spi.Admission;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * One decision core, shown from outside: a random guard (any subset of breaker, bulkhead, retry
 * with or without maxDuration and the opt-in to retry rejections, timeout or deadline, fallback,
 * admission, a rate limiter of each kind, an adaptive concurrency limiter and recovery, keyed or
 * not, isolated on a bounded executor or not, its listener perhaps throwing on every transition)
 * runs one random script of attempt outcomes (values, exceptions of several kinds, an Error, a
 * timeout, attempts slow on the hand-driven clock, a nested guard's rejection or failure, a nested
 * guard refused by the same limiter, hooks that throw) through {@code call}, {@code get}, {@code
 * run}, {@code callWith} and {@code callAsync}. Every path gives each call the same result or the
 * same exception, and ends with the same counts and breaker state, for the guard and for the guards
 * nested in its calls, and the limiter learns the same limit; on every path every permit (the
 * bulkhead's, the executor's, the limiter's) comes back after each call (some calls find the
 * limiter full and are refused), every call is counted once, and a breaker left OPEN or HALF_OPEN
 * closes again after its wait on healthy probes (no probe permission is ever lost).
 *
 * <p>No decision depends on the machine's speed. Decisions on time read the hand-driven clock; the
 * timeouts are an hour long, so the runtime's timer never stops an attempt meant to return, and an
 * attempt meant to time out is stopped by hand: it fires its armed timer slot exactly as the timer
 * does at the deadline (interrupting the caller in place or waiting for the executor, or ending the
 * asynchronous attempt). The rate limiter allows no wait: a synchronous call may wait for its turn
 * and an asynchronous one never does, so with a wait the paths differ by design, and without one
 * they must decide alike.
 */
class CallPathParityProperties {

  /** The rate limiter's kinds, as the shapes draw them. */
  private static final List<RateLimiterConfig.Kind> RATE_KINDS =
      List.of(
          RateLimiterConfig.Kind.SMOOTH,
          RateLimiterConfig.Kind.FIXED_WINDOW,
          RateLimiterConfig.Kind.ROLLING_WINDOW);

  /** So long that only a hand-fired slot stops an attempt. */
  private static final Duration TIMEOUT = Duration.ofHours(1);

  /**
   * The deadline, on the hand-driven clock for the decisions and in real time for the timer: so
   * long that only the hand-driven clock reaches it, and an attempt meant to return never outlives
   * it.
   */
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** The retry's maxDuration, on the hand-driven clock. */
  private static final Duration MAX_DURATION = Duration.ofMillis(50);

  /**
   * How long a slow attempt takes on the hand-driven clock: past maxDuration and both deadlines.
   */
  private static final Duration SLOW = DEADLINE;

  /** What one attempt does. */
  enum Step {
    VALUE,
    /** A value the retry's result predicate wants retried. */
    RETRY_VALUE,
    /** A value on which the breaker's result predicate throws. */
    HOOK_VALUE,
    RUNTIME,
    /** An exception thrown by the async supplier itself rather than through its stage. */
    RUNTIME_DIRECT,
    CHECKED,
    ERROR,
    /** An exception on which the retry's predicate throws. */
    RETRY_HOOK,
    TIMEOUT,
    /** An exception after {@link #SLOW} on the hand-driven clock. */
    SLOW_RUNTIME,
    /**
     * A value the retry's result predicate wants retried, after {@link #SLOW} on the hand-driven
     * clock.
     */
    SLOW_RETRY_VALUE,
    NESTED_REJECTION,
    /** A nested guard whose own call fails: its failure passes through it, counted there too. */
    NESTED_FAILURE,
    /**
     * A nested guard held to the same adaptive limiter, which the attempt fills: refused (the
     * limiter's own refusal, not a drop) while the limit is 1, admitted once the limit has grown.
     */
    NESTED_LIMITED
  }

  /** Between the attempts of the script: the calls, each admitted or not, time passing or not. */
  record Call(boolean denied, boolean waitsOutOpen, boolean crowded) {}

  record Shape(
      boolean breaker,
      int window,
      int probes,
      boolean bulkhead,
      int retries,
      boolean timeout,
      int fallback,
      boolean admission,
      boolean keyed,
      boolean listenerThrows,
      boolean isolated,
      boolean recovery,
      boolean deadline,
      boolean maxDuration,
      boolean retryRejections,
      RateLimiterConfig.@Nullable Kind rateLimit,
      boolean limiter) {}

  enum Path {
    CALL,
    GET,
    RUN,
    CALL_WITH,
    CALL_ASYNC
  }

  @Property(tries = 1000)
  void everyPathDecidesEveryScriptTheSameWay(
      @ForAll("shapes") Shape generated,
      @ForAll("calls") List<Call> calls,
      @ForAll("steps") List<Step> steps) {
    Shape shape = deterministic(generated);
    List<Step> script = applicable(shape, steps);
    Statistics.label("isolated").collect(shape.isolated());
    Statistics.label("recovery").collect(shape.recovery());
    Statistics.label("keyed").collect(shape.keyed());
    Statistics.label("nested")
        .collect(script.contains(Step.NESTED_FAILURE) || script.contains(Step.NESTED_REJECTION));
    Statistics.label("rate limit").collect(String.valueOf(shape.rateLimit()));
    Statistics.label("limiter").collect(shape.limiter());
    Map<Path, Run> runs = new EnumMap<>(Path.class);
    for (Path path : Path.values()) {
      if (path != Path.RUN || runComparable(shape, script)) {
        runs.put(path, run(shape, calls, script, path));
      }
    }
    assertSameDecisions(runs, shape, calls, script);
  }

  private static void assertSameDecisions(
      Map<Path, Run> runs, Shape shape, List<Call> calls, List<Step> script) {
    Run reference = runs.get(Path.CALL);
    runs.forEach(
        (path, other) -> {
          List<String> expected = path == Path.RUN ? reference.voided() : reference.results;
          assertThat(other.results)
              .as("%s against call, %s, %s, %s", path, shape, calls, script)
              .isEqualTo(expected);
          assertThat(other.counts).as("%s counts", path).isEqualTo(reference.counts);
          assertThat(other.breakerState).as("%s breaker", path).isEqualTo(reference.breakerState);
          assertThat(other.innerCounts)
              .as("%s nested guards' counts", path)
              .isEqualTo(reference.innerCounts);
          assertThat(other.limit).as("%s limiter's limit", path).isEqualTo(reference.limit);
        });
  }

  /**
   * A timed-out isolated attempt keeps its bulkhead permit until its thread really ends (by design:
   * the work still occupies the dependency), so a retry right after it may or may not find the
   * permit: no retry in that one shape, where the outcome depends on thread timing.
   */
  private static Shape deterministic(Shape s) {
    if (!(s.timeout() && s.bulkhead() && s.retries() > 1)) {
      return s;
    }
    return new Shape(
        s.breaker(),
        s.window(),
        s.probes(),
        s.bulkhead(),
        1,
        s.timeout(),
        s.fallback(),
        s.admission(),
        s.keyed(),
        s.listenerThrows(),
        s.isolated(),
        s.recovery(),
        s.deadline(),
        s.maxDuration(),
        s.retryRejections(),
        s.rateLimit(),
        s.limiter());
  }

  /**
   * Steps the shape can produce: hooks only with the policy that runs them, and a timeout only with
   * one.
   */
  private static List<Step> applicable(Shape shape, List<Step> steps) {
    List<Step> script = new ArrayList<>();
    for (Step step : steps) {
      boolean possible =
          switch (step) {
            case TIMEOUT -> shape.timeout();
            case HOOK_VALUE -> shape.breaker();
            case RETRY_VALUE, SLOW_RETRY_VALUE, RETRY_HOOK -> shape.retries() > 1;
            case NESTED_LIMITED -> shape.limiter();
            default -> true;
          };
      script.add(possible ? step : Step.VALUE);
    }
    return script;
  }

  /**
   * {@code run} returns no value: comparable where no decision depends on one and no fallback makes
   * one.
   */
  private static boolean runComparable(Shape shape, List<Step> script) {
    return shape.fallback() == 0
        && !script.contains(Step.RETRY_VALUE)
        && !script.contains(Step.SLOW_RETRY_VALUE)
        && !script.contains(Step.HOOK_VALUE);
  }

  /**
   * One path's run of the script: each call's result, then the guard's counts and breaker state,
   * and the nested guards' counts.
   */
  record Run(
      List<String> results,
      CallCounts counts,
      CircuitBreaker.State breakerState,
      List<CallCounts> innerCounts,
      int limit) {
    List<String> voided() {
      List<String> voided = new ArrayList<>();
      for (String result : results) {
        voided.add(result.startsWith("value:") ? "value:null" : result);
      }
      return voided;
    }
  }

  private Run run(Shape shape, List<Call> calls, List<Step> script, Path path) {
    ManualTicker ticker = new ManualTicker();
    Brownout.Builder runtime = Brownout.builder().ticker(ticker);
    if (shape.listenerThrows()) {
      runtime.listener(
          new BrownoutListener() {
            @Override
            public void onStateTransition(
                CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
              throw new AssertionError("listener");
            }

            @Override
            public void onRejected(String guard, RejectedCallException rejection) {
              throw new IllegalStateException("listener");
            }
          });
    }
    try (Brownout brownout = runtime.build()) {
      boolean[] denied = new boolean[1];
      Limiter limiter =
          brownout.limiter(
              "limiter",
              LimiterConfig.builder()
                  .algorithm(LimiterConfig.Algorithm.AIMD)
                  .limits(1, 1, 4)
                  .minWindow(Duration.ofMillis(1))
                  .minSamples(1)
                  .build());
      Guard guard = build(brownout, shape, denied, limiter);
      Guard limitedInner = brownout.guard("limited-inner").limiter(limiter).build();
      Guard inner =
          brownout.guard("inner").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      inner.circuitBreaker().orElseThrow().forceOpen();
      Guard failingInner =
          brownout
              .guard("failing-inner")
              .circuitBreaker(CircuitBreakerConfig.ofDefaults())
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
              .build();
      Iterator<Step> steps = script.iterator();
      Attempts attempts =
          new Attempts(
              steps,
              inner,
              failingInner,
              limitedInner,
              path == Path.CALL_ASYNC,
              ticker,
              brownout.timer());
      Fallback<String> fallback =
          switch (shape.fallback()) {
            case 1 -> Fallback.on(Exception.class, e -> "fallback:" + e.getClass().getSimpleName());
            case 2 ->
                Fallback.on(RejectedCallException.class, e -> "fallback:rejected:" + e.source());
            default -> null;
          };
      List<String> results = new ArrayList<>();
      for (Call call : calls) {
        denied[0] = call.denied();
        if (call.waitsOutOpen()) {
          ticker.advance(Duration.ofSeconds(2));
        }
        List<Long> crowd = new ArrayList<>();
        while (call.crowded() && shape.limiter() && limiter.inFlight() < limiter.limit()) {
          crowd.add(limiter.tryAcquire());
        }
        results.add(once(guard, path, attempts, fallback));
        attempts.awaitHandTimers();
        crowd.forEach(limiter::onIgnored);
        assertPermitsBack(guard, brownout);
        assertThat(limiter.inFlight()).as("the limiter's permits").isZero();
      }
      assertThat(guard.counts().total()).as("every call counted once").isEqualTo(calls.size());
      CallCounts counts = guard.counts();
      CircuitBreaker.State state = guard.circuitBreaker().map(CircuitBreaker::state).orElse(null);
      assertProbesNotLost(guard, ticker, shape, denied);
      assertThat(failingInner.bulkhead().orElseThrow().availablePermits())
          .as("the nested guard's permit")
          .isEqualTo(1);
      return new Run(
          results,
          counts,
          state,
          List.of(inner.counts(), failingInner.counts(), limitedInner.counts()),
          limiter.limit());
    }
  }

  private static Guard build(Brownout brownout, Shape shape, boolean[] denied, Limiter limiter) {
    BoundedExecutor executor =
        shape.isolated()
            ? brownout.executor(
                "isolated", ExecutorConfig.builder().maxRunning(2).maxQueued(2).build())
            : null;
    java.util.function.UnaryOperator<Guard.Builder> template =
        builder -> {
          if (shape.breaker()) {
            builder.circuitBreaker(
                CircuitBreakerConfig.builder()
                    .slidingWindow(
                        CircuitBreakerConfig.WindowType.COUNT_BASED, shape.window(), shape.window())
                    .waitDurationInOpenState(Duration.ofSeconds(1))
                    .permittedNumberOfCallsInHalfOpenState(shape.probes())
                    .recordResult(
                        result -> {
                          if ("hook".equals(result)) {
                            throw new IllegalStateException("recordResult hook");
                          }
                          return false;
                        })
                    .build());
          }
          if (shape.bulkhead()) {
            builder.bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build());
          }
          if (shape.retries() > 1) {
            RetryConfig.Builder retry =
                RetryConfig.builder()
                    .maxAttempts(shape.retries())
                    .backoff(Backoff.fixed(Duration.ZERO))
                    .budget(1.0, 1_000_000)
                    .retryOn(
                        failure -> {
                          if ("retry hook".equals(failure.getMessage())) {
                            throw new IllegalStateException("retryOn hook");
                          }
                          return true;
                        })
                    .retryOnResult("retry"::equals);
            if (shape.maxDuration()) {
              retry.maxDuration(MAX_DURATION);
            }
            if (shape.retryRejections()) {
              retry.retryOnRejection(CallNotPermittedException.class);
            }
            builder.retry(retry.build());
          }
          // A hand-fired slot alone stops a TIMEOUT attempt: with a deadline too, the deadline
          // (the shorter wait) is what it stops, so that the deadline's own path is shown. The
          // deadline decides on the hand-driven clock: a slow attempt leaves no time for another.
          if (shape.timeout()) {
            builder.timeout(TIMEOUT);
          }
          if (shape.deadline()) {
            builder.deadline(DEADLINE);
          }
          if (shape.rateLimit() != null) {
            builder.rateLimiter(
                RateLimiterConfig.builder()
                    .kind(shape.rateLimit())
                    .limit(2)
                    .period(Duration.ofSeconds(1))
                    .build());
          }
          if (shape.limiter()) {
            builder.limiter(limiter);
          }
          if (shape.admission()) {
            builder.admission(
                new Admission() {
                  @Override
                  public boolean admits(Object key) {
                    return !denied[0];
                  }

                  @Override
                  public Object denied(Object key) {
                    return "degraded";
                  }
                });
          }
          if (executor != null) {
            builder.executor(executor);
          }
          if (shape.recovery()) {
            builder.recovery((guard, thrown) -> "recovered:" + thrown.getClass().getSimpleName());
          }
          return builder;
        };
    if (shape.keyed()) {
      return brownout.<String>keyedGuards("family", 10, Duration.ofMinutes(5), template).get("key");
    }
    return template.apply(brownout.guard("guard")).build();
  }

  /** The attempts' behaviour, step by step from the script (a plain value once it runs out). */
  static final class Attempts {
    private final Iterator<Step> steps;
    private final Guard inner;
    private final Guard failingInner;
    private final Guard limitedInner;
    private final boolean async;

    private final ManualTicker ticker;
    private final RuntimeTimer timer;

    /** The threads firing the slots of the attempts meant to time out, since the last call. */
    private final List<Thread> handTimers = new ArrayList<>();

    Attempts(
        Iterator<Step> steps,
        Guard inner,
        Guard failingInner,
        Guard limitedInner,
        boolean async,
        ManualTicker ticker,
        RuntimeTimer timer) {
      this.steps = steps;
      this.inner = inner;
      this.failingInner = failingInner;
      this.limitedInner = limitedInner;
      this.async = async;
      this.ticker = ticker;
      this.timer = timer;
    }

    Step next() {
      return steps.hasNext() ? steps.next() : Step.VALUE;
    }

    /**
     * Does what the runtime's timer does at the attempt's deadline, now: fires the one armed slot
     * (only the guard under test times its attempts), from another thread, once the attempt has
     * armed it (an asynchronous attempt arms its slot after its stage is made).
     */
    void timeOutByHand() {
      handTimers.add(TimerSlots.fireWhenArmed(timer));
    }

    /** Waits for the hand-timers' threads, so that no firing is left for a later attempt. */
    void awaitHandTimers() {
      for (Thread firing : handTimers) {
        try {
          firing.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
        assertThat(firing.isAlive()).as("the hand-timer found the attempt's slot").isFalse();
      }
      handTimers.clear();
    }

    String sync() throws Exception {
      return switch (next()) {
        case VALUE -> "ok";
        case RETRY_VALUE -> "retry";
        case HOOK_VALUE -> "hook";
        case RUNTIME, RUNTIME_DIRECT -> throw new IllegalStateException("runtime");
        case CHECKED -> throw new IOException("checked");
        case ERROR -> throw new AssertionError("error");
        case RETRY_HOOK -> throw new IllegalStateException("retry hook");
        case TIMEOUT -> {
          timeOutByHand();
          new CountDownLatch(1).await();
          yield "never";
        }
        case SLOW_RUNTIME -> {
          ticker.advance(SLOW);
          throw new IllegalStateException("slow");
        }
        case SLOW_RETRY_VALUE -> {
          ticker.advance(SLOW);
          yield "retry";
        }
        case NESTED_REJECTION -> inner.call(() -> "never");
        case NESTED_FAILURE ->
            failingInner.call(
                () -> {
                  throw new IllegalStateException("nested failure");
                });
        case NESTED_LIMITED -> limitedInner.call(() -> "nested admitted");
      };
    }

    CompletionStage<String> async() {
      Step step = next();
      return switch (step) {
        case VALUE -> CompletableFuture.completedFuture("ok");
        case RETRY_VALUE -> CompletableFuture.completedFuture("retry");
        case HOOK_VALUE -> CompletableFuture.completedFuture("hook");
        case RUNTIME -> CompletableFuture.failedFuture(new IllegalStateException("runtime"));
        case RUNTIME_DIRECT -> throw new IllegalStateException("runtime");
        case CHECKED -> CompletableFuture.failedFuture(new IOException("checked"));
        case ERROR -> CompletableFuture.failedFuture(new AssertionError("error"));
        case RETRY_HOOK -> CompletableFuture.failedFuture(new IllegalStateException("retry hook"));
        case TIMEOUT -> {
          timeOutByHand();
          yield new CompletableFuture<>();
        }
        case SLOW_RUNTIME -> {
          ticker.advance(SLOW);
          yield CompletableFuture.failedFuture(new IllegalStateException("slow"));
        }
        case SLOW_RETRY_VALUE -> {
          ticker.advance(SLOW);
          yield CompletableFuture.completedFuture("retry");
        }
        case NESTED_REJECTION -> inner.callAsync(() -> CompletableFuture.completedFuture("never"));
        case NESTED_FAILURE ->
            failingInner.callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("nested failure")));
        case NESTED_LIMITED ->
            limitedInner.callAsync(() -> CompletableFuture.completedFuture("nested admitted"));
      };
    }

    boolean isAsync() {
      return async;
    }
  }

  private static String once(Guard guard, Path path, Attempts attempts, Fallback<String> fallback) {
    try {
      String value =
          switch (path) {
            case CALL ->
                fallback == null
                    ? guard.call(attempts::sync)
                    : guard.call(attempts::sync, fallback);
            case GET ->
                fallback == null
                    ? guard.get(() -> unchecked(attempts))
                    : guard.get(() -> unchecked(attempts), fallback);
            case RUN -> {
              guard.run(attempts::sync);
              yield null;
            }
            case CALL_WITH ->
                fallback == null
                    ? guard.<Attempts, String>callWith(attempts, Attempts::sync)
                    : guard.<Attempts, String>callWith(attempts, Attempts::sync, fallback);
            case CALL_ASYNC ->
                (fallback == null
                        ? guard.callAsync(attempts::async)
                        : guard.callAsync(attempts::async, fallback))
                    .toCompletableFuture()
                    .join();
          };
      return "value:" + value;
    } catch (Throwable thrown) {
      Throwable failure =
          thrown instanceof CompletionException && thrown.getCause() != null
              ? thrown.getCause()
              : thrown;
      return "threw:" + failure.getClass().getSimpleName() + ":" + failure.getMessage();
    }
  }

  /** A supplier's body may throw a checked exception only sneakily. */
  private static String unchecked(Attempts attempts) {
    try {
      return attempts.sync();
    } catch (Exception e) {
      throw GuardCore.sneakyThrow(e);
    }
  }

  /**
   * An isolated call's thread gives its permits back when the interrupted task ends: wait for that.
   */
  private static void assertPermitsBack(Guard guard, Brownout brownout) {
    for (BoundedExecutor executor : brownout.executors()) {
      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .atMost(Duration.ofSeconds(10))
          .until(() -> executor.running() == 0 && executor.queued() == 0);
    }
    guard
        .bulkhead()
        .filter(bulkhead -> bulkhead.availablePermits() != 1)
        .ifPresent(
            bulkhead ->
                await()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> bulkhead.availablePermits() == 1));
  }

  /**
   * After the wait in OPEN, healthy probes close the breaker: no probe permission was lost. (A
   * probe can meet an earlier failed probe in the HALF_OPEN window and open it again: hence a few
   * rounds. Each probe waits for its turn at the rate limiter, if there is one.)
   */
  private static void assertProbesNotLost(
      Guard guard, ManualTicker ticker, Shape shape, boolean[] denied) {
    if (!shape.breaker()) {
      return;
    }
    denied[0] = false;
    CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();
    for (int round = 0; round < 3 && breaker.state() != CircuitBreaker.State.CLOSED; round++) {
      ticker.advance(Duration.ofSeconds(2));
      for (int i = 0;
          (i < shape.probes() && breaker.state() == CircuitBreaker.State.HALF_OPEN) || i == 0;
          i++) {
        if (shape.rateLimit() != null) {
          ticker.advance(Duration.ofSeconds(1)); // the probe's turn at the rate limiter
        }
        try {
          assertThat(guard.get(() -> "healthy")).isEqualTo("healthy");
        } catch (CallNotPermittedException reopened) {
          break;
        }
      }
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Provide
  Arbitrary<Shape> shapes() {
    return Combinators.combine(
            Arbitraries.of(true, false),
            Arbitraries.integers().between(2, 4),
            Arbitraries.integers().between(1, 2),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 14).map(n -> n == 0),
            Arbitraries.integers().between(0, 2),
            Arbitraries.of(true, false))
        .flatAs(
            (breaker, window, probes, bulkhead, retries, timeout, fallback, admission) ->
                Combinators.combine(
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3).map(n -> n == 0),
                        Arbitraries.integers().between(0, 3).map(n -> n == 0),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false),
                        // 0-2 a rate limiter's kind, 3-5 none; 6-11 the same with a limiter
                        Arbitraries.integers().between(0, 11))
                    .as(
                        (keyed,
                            listenerThrows,
                            isolated,
                            recovery,
                            deadline,
                            maxDuration,
                            retryRejections,
                            limits) ->
                            new Shape(
                                breaker,
                                window,
                                probes,
                                bulkhead,
                                retries,
                                timeout,
                                fallback,
                                admission,
                                keyed,
                                listenerThrows,
                                isolated,
                                recovery,
                                deadline,
                                maxDuration,
                                retryRejections,
                                limits % 6 < 3 ? RATE_KINDS.get(limits % 6) : null,
                                limits >= 6)));
  }

  @Provide
  Arbitrary<List<Call>> calls() {
    Arbitrary<Call> call =
        Combinators.combine(
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 5))
            .as((denied, waits, crowded) -> new Call(denied == 0, waits == 0, crowded == 0));
    return call.list().ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMaxSize(16);
  }
}
