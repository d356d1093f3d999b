package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Bulkhead;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import dev.brownout.testing.ManualTicker;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The annotated form is one more way of calling a guard: a method whose annotations name a random
 * subset of breaker, bulkhead, retry, timeout and fallback, synchronous or returning a {@code
 * CompletionStage}, decides every random script of attempt outcomes (values, exceptions of two
 * kinds, an Error, a timeout, a nested guard's rejection or failure) as {@code guard.call} does on
 * the same policies built by hand: the same results and exceptions, the same counts, breaker state
 * and free permits, and the same counts of the nested guards.
 *
 * <p>Each subset of policies is one interface; all 30 (a fallback needs another policy, and a guard
 * needs one) are compiled with the processor once, in one compilation, and every try loads the
 * generated class of its subset. Timeouts are real time, as in the core's {@code
 * CallPathParityProperties}: a try in which an attempt meant to return took half the timeout is run
 * again, up to five rounds, and judged on the last.
 */
class AnnotatedPathParityProperties {

  private static final Duration TIMEOUT = Duration.ofMillis(100);

  /** The most rounds a try is run when a loaded machine slowed it. */
  private static final int ROUNDS = 5;

  private static final Duration WAIT_IN_OPEN = Duration.ofSeconds(1);
  private static final int SHAPES = 32;

  /** What one attempt does. */
  enum Step {
    VALUE,
    RUNTIME,
    CHECKED,
    ERROR,
    TIMEOUT,
    NESTED_REJECTION,
    NESTED_FAILURE
  }

  /** A subset of policies: bit 0 breaker, 1 bulkhead, 2 retry, 3 timeout, 4 fallback. */
  record Shape(int bits) {
    boolean breaker() {
      return (bits & 1) != 0;
    }

    boolean bulkhead() {
      return (bits & 2) != 0;
    }

    boolean retry() {
      return (bits & 4) != 0;
    }

    boolean timeout() {
      return (bits & 8) != 0;
    }

    boolean fallback() {
      return (bits & 16) != 0;
    }

    /**
     * A guard needs a policy besides the fallback (the processor refuses a lone {@code @Fallback}).
     */
    boolean valid() {
      return (bits & 15) != 0;
    }

    String interfaceName() {
      return "gen.Shape" + bits;
    }

    String guardName() {
      return "Shape" + bits + ".call";
    }
  }

  /** One call: whether the breaker's wait in OPEN passes first. */
  record Call(boolean waitsOutOpen) {}

  /** Compiled once, on first use, for every try. */
  private static final class Compiled {
    static final Compilation ALL = compileAll();

    private static Compilation compileAll() {
      List<String> namesAndCode = new ArrayList<>();
      for (int bits = 0; bits < SHAPES; bits++) {
        Shape shape = new Shape(bits);
        if (!shape.valid()) {
          continue;
        }
        namesAndCode.add(shape.interfaceName());
        namesAndCode.add(source(shape));
      }
      Compilation compilation = Compilation.compile(namesAndCode.toArray(String[]::new));
      assertThat(compilation.errors()).isEmpty();
      return compilation;
    }
  }

  // 1,000 tries, as the parity of the other call paths: about 40 s on two busy cores, most of it
  // the
  // real-time timeouts.
  @Property(tries = 1000)
  void anAnnotatedMethodDecidesEveryScriptAsTheGuardBuiltByHand(
      @ForAll("shapes") Shape generated,
      @ForAll("calls") List<Call> calls,
      @ForAll("steps") List<Step> steps)
      throws Exception {
    // As in the core's property: a timed-out isolated attempt keeps its permit until its thread
    // ends,
    // so a retry right after it may or may not find it. No retry in that one shape.
    Shape shape =
        generated.timeout() && generated.bulkhead() ? new Shape(generated.bits() & ~4) : generated;
    List<Step> script = applicable(shape, steps);
    Class<?> service = Compiled.ALL.loader().loadClass(shape.interfaceName());
    Statistics.label("policies").collect(Integer.bitCount(shape.bits()));
    for (int round = 1; ; round++) {
      Run annotated = new Run(shape, calls, script).annotated(service, false);
      Run annotatedAsync = new Run(shape, calls, script).annotated(service, true);
      Run byHand = new Run(shape, calls, script).byHand();
      if (round == ROUNDS || (!annotated.slowed && !annotatedAsync.slowed && !byHand.slowed)) {
        assertThat(annotated.trace)
            .as("sync, %s, %s, %s", shape, calls, script)
            .isEqualTo(byHand.trace);
        assertThat(annotatedAsync.trace)
            .as("async, %s, %s, %s", shape, calls, script)
            .isEqualTo(byHand.trace);
        return;
      }
      Statistics.label("rounds run again on a loaded machine").collect(round);
    }
  }

  /**
   * A timeout step only with a timeout, at most once a script (each costs the timeout in real
   * time).
   */
  private static List<Step> applicable(Shape shape, List<Step> steps) {
    List<Step> script = new ArrayList<>();
    for (Step step : steps) {
      boolean possible =
          step != Step.TIMEOUT || (shape.timeout() && !script.contains(Step.TIMEOUT));
      script.add(possible ? step : Step.VALUE);
    }
    return script;
  }

  /** The annotated interface of a shape. */
  static String source(Shape shape) {
    String name = "Shape" + shape.bits();
    return """
        package gen;

        import dev.brownout.core.annotation.*;

        public interface %s extends dev.brownout.processor.Stepper, dev.brownout.processor.AsyncStepper {
        %s  @Override
          String call(java.util.concurrent.Callable<String> step) throws Exception;

        %s  @Override
          java.util.concurrent.CompletionStage<String> callAsync(
              java.util.function.Supplier<java.util.concurrent.CompletionStage<String>> step);

          default String fallback(java.util.concurrent.Callable<String> step, Exception failure) {
            return "fallback:" + failure.getClass().getSimpleName();
          }

          default String fallbackAsync(
              java.util.function.Supplier<java.util.concurrent.CompletionStage<String>> step, Exception failure) {
            return "fallback:" + failure.getClass().getSimpleName();
          }
        }
        """
        .formatted(name, annotations(shape, "fallback"), annotations(shape, "fallbackAsync"));
  }

  /** The annotations of a shape's methods, the fallback naming {@code fallbackMethod}. */
  private static String annotations(Shape shape, String fallbackMethod) {
    StringBuilder s = new StringBuilder();
    if (shape.breaker()) {
      s.append(
              "  @CircuitBreaker(slidingWindowType = \"COUNT_BASED\", slidingWindowSize = 3, minimumNumberOfCalls = 3,")
          .append(
              " waitDurationInOpenState = \"1s\", permittedNumberOfCallsInHalfOpenState = 1)\n");
    }
    if (shape.bulkhead()) {
      s.append("  @Bulkhead(maxConcurrentCalls = 1)\n");
    }
    if (shape.retry()) {
      s.append(
          "  @Retry(maxAttempts = 3, waitDuration = \"0ms\", budgetRatio = 1.0, minRetriesPerSecond = 1000000)\n");
    }
    if (shape.timeout()) {
      s.append("  @Timeout(\"100ms\")\n");
    }
    if (shape.fallback()) {
      s.append("  @Fallback(method = \"").append(fallbackMethod).append("\")\n");
    }
    return s.toString();
  }

  /**
   * The guard a user would build by hand for a shape, with the annotations' values and the
   * generated guard's name (rejections and timeouts name their guard).
   */
  static Guard byHand(Brownout brownout, Shape shape) {
    Guard.Builder guard = brownout.guard(shape.guardName());
    if (shape.breaker()) {
      guard.circuitBreaker(
          CircuitBreakerConfig.builder()
              .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 3, 3)
              .waitDurationInOpenState(WAIT_IN_OPEN)
              .permittedNumberOfCallsInHalfOpenState(1)
              .build());
    }
    if (shape.bulkhead()) {
      guard.bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build());
    }
    if (shape.retry()) {
      guard.retry(
          RetryConfig.builder()
              .maxAttempts(3)
              .waitDuration(Duration.ZERO)
              .budget(1.0, 1_000_000)
              .build());
    }
    if (shape.timeout()) {
      guard.timeout(TIMEOUT);
    }
    return guard.build();
  }

  /** One run of a script on one side, recording what a caller or an operator could observe. */
  static final class Run {
    private final Shape shape;
    private final List<Call> calls;
    private final List<Step> script;
    private final ManualTicker ticker = new ManualTicker();
    private final List<String> trace = new ArrayList<>();
    private boolean slowed;

    Run(Shape shape, List<Call> calls, List<Step> script) {
      this.shape = shape;
      this.calls = calls;
      this.script = script;
    }

    /** Through the generated class's synchronous method, or its asynchronous one. */
    Run annotated(Class<?> service, boolean async) {
      try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
        InvocationHandler body =
            (proxy, method, args) -> {
              if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
              }
              return args[0] instanceof Callable<?> callable
                  ? callable.call()
                  : ((Supplier<?>) args[0]).get();
            };
        Object implementation =
            Proxy.newProxyInstance(service.getClassLoader(), new Class<?>[] {service}, body);
        Object generated = wrap(brownout, service, implementation);
        if (!async) {
          Stepper stepper = (Stepper) generated;
          return drive(
              brownout,
              attempts -> stepper.call(attempts::next),
              brownout.findGuard(shape.guardName()).orElseThrow());
        }
        AsyncStepper stepper = (AsyncStepper) generated;
        Guard guard = brownout.findGuard(shape.guardName() + "Async").orElseThrow();
        drive(
            brownout,
            attempts -> stepper.callAsync(attempts::async).toCompletableFuture().join(),
            guard);
        // The asynchronous method's guard has its own name, which its rejections and timeouts
        // carry.
        trace.replaceAll(line -> line.replace(shape.guardName() + "Async", shape.guardName()));
        return this;
      }
    }

    Run byHand() {
      try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
        Guard guard = AnnotatedPathParityProperties.byHand(brownout, shape);
        Fallback<String> fallback =
            shape.fallback()
                ? Fallback.of(failure -> "fallback:" + failure.getClass().getSimpleName())
                : null;
        return drive(
            brownout,
            attempts ->
                fallback == null
                    ? guard.call(attempts::next)
                    : guard.call(attempts::next, fallback),
            guard);
      }
    }

    private static <T> T wrap(Brownout brownout, Class<T> type, Object implementation) {
      return brownout.wrap(type, type.cast(implementation));
    }

    /** One way of calling: the script's attempts in, the call's value out. */
    @FunctionalInterface
    interface Path {
      String call(Attempts attempts) throws Exception;
    }

    private Run drive(Brownout brownout, Path path, Guard guard) {
      Guard inner =
          brownout.guard("inner").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      inner.circuitBreaker().orElseThrow().forceOpen();
      Guard failingInner =
          brownout.guard("failing-inner").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      Attempts attempts = new Attempts(script.iterator(), inner, failingInner);
      for (Call call : calls) {
        if (call.waitsOutOpen()) {
          ticker.advance(WAIT_IN_OPEN.plusSeconds(1));
        }
        int timeoutsBefore = attempts.timeouts.get();
        long start = System.nanoTime();
        trace.add(outcome(path, attempts));
        long allowed =
            TIMEOUT.toNanos() * (attempts.timeouts.get() - timeoutsBefore) + TIMEOUT.toNanos() / 2;
        slowed |= shape.timeout() && System.nanoTime() - start > allowed;
        guard.bulkhead().ifPresent(bulkhead -> awaitPermitBack(bulkhead));
        guard.circuitBreaker().ifPresent(breaker -> trace.add("breaker " + breaker.state()));
      }
      trace.add("counts " + guard.counts());
      trace.add("nested counts " + List.of(inner.counts(), failingInner.counts()));
      return this;
    }

    /**
     * A timed-out attempt's thread gives its permit back when the interrupted call ends: wait for
     * that.
     */
    private static void awaitPermitBack(Bulkhead bulkhead) {
      org.awaitility.Awaitility.await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(1))
          .atMost(Duration.ofSeconds(10))
          .until(() -> bulkhead.availablePermits() == 1);
    }

    private static String outcome(Path path, Attempts attempts) {
      try {
        return "value:" + path.call(attempts);
      } catch (Throwable thrown) {
        Throwable failure =
            thrown instanceof CompletionException && thrown.getCause() != null
                ? thrown.getCause()
                : thrown;
        return "threw:" + failure.getClass().getSimpleName() + ":" + failure.getMessage();
      }
    }
  }

  /** The attempts' behaviour, step by step from the script (a plain value once it runs out). */
  static final class Attempts {
    private final Iterator<Step> steps;
    private final Guard inner;
    private final Guard failingInner;

    /**
     * Attempts meant to time out that have started (on the timeout's thread, read by the caller).
     */
    private final AtomicInteger timeouts = new AtomicInteger();

    Attempts(Iterator<Step> steps, Guard inner, Guard failingInner) {
      this.steps = steps;
      this.inner = inner;
      this.failingInner = failingInner;
    }

    private Step step() {
      Step step = steps.hasNext() ? steps.next() : Step.VALUE;
      if (step == Step.TIMEOUT) {
        timeouts.incrementAndGet();
      }
      return step;
    }

    String next() throws Exception {
      return switch (step()) {
        case VALUE -> "ok";
        case RUNTIME -> throw new IllegalStateException("runtime");
        case CHECKED -> throw new IOException("checked");
        case ERROR -> throw new AssertionError("error");
        case TIMEOUT -> {
          new CountDownLatch(1).await();
          yield "never";
        }
        case NESTED_REJECTION -> inner.call(() -> "never");
        case NESTED_FAILURE ->
            failingInner.call(
                () -> {
                  throw new IllegalStateException("nested failure");
                });
      };
    }

    CompletionStage<String> async() {
      return switch (step()) {
        case VALUE -> CompletableFuture.completedFuture("ok");
        case RUNTIME -> CompletableFuture.failedFuture(new IllegalStateException("runtime"));
        case CHECKED -> CompletableFuture.failedFuture(new IOException("checked"));
        case ERROR -> CompletableFuture.failedFuture(new AssertionError("error"));
        case TIMEOUT -> new CompletableFuture<>();
        case NESTED_REJECTION -> inner.callAsync(() -> CompletableFuture.completedFuture("never"));
        case NESTED_FAILURE ->
            failingInner.callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("nested failure")));
      };
    }
  }

  @Provide
  Arbitrary<Shape> shapes() {
    return Arbitraries.integers().between(0, SHAPES - 1).map(Shape::new).filter(Shape::valid);
  }

  @Provide
  Arbitrary<List<Call>> calls() {
    return Arbitraries.integers()
        .between(0, 4)
        .map(n -> new Call(n == 0))
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Arbitraries.of(Step.class).list().ofMaxSize(16);
  }
}
