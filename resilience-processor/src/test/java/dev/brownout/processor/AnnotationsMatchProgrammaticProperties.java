package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.RejectedCallException;
import dev.brownout.core.RetryConfig;
import dev.brownout.testing.ManualTicker;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * A method guarded by annotations behaves exactly like the same guard built by hand: for random
 * annotation values (breaker thresholds and window, slow calls, bulkhead size, retry attempts and
 * budget, timeout, fallback), the generated class and a {@code brownout.guard(...)} built with the
 * builder API give the same results, exceptions, breaker states, invocation counts and call counts
 * over random sequences of calls (successes, failures of two kinds per attempt, nested calls that
 * fill the bulkhead, slow calls and waits on a hand-driven clock).
 *
 * <p>Compiling is slow, so each try compiles one variant (cached, for shrinking) and drives many
 * sequences through it.
 */
class AnnotationsMatchProgrammaticProperties {

  private static final Map<String, Compilation> COMPILED = new ConcurrentHashMap<>();
  private static final int SEQUENCES_PER_VARIANT = 40;

  enum Kind {
    OK,
    IO,
    ISE
  }

  record Breaker(
      int failureRate,
      int slowRate,
      int slowSeconds,
      boolean timeBased,
      int windowSize,
      int minCalls,
      int waitSeconds,
      int halfOpen,
      boolean ignoreIse) {}

  record Retry(int maxAttempts, double budgetRatio, int minPerSecond, boolean onlyIo) {}

  record Variant(
      Breaker breaker,
      Integer bulkhead,
      Retry retry,
      boolean timeout,
      Class<? extends Exception> fallbackOn) {}

  /**
   * One call: the outcome of each attempt (the last repeats), nested calls, and clock movements.
   */
  record Step(List<Kind> attempts, int nested, long waitBeforeNanos, long callNanos) {}

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void aGeneratedMethodBehavesLikeTheSameGuardBuiltByHand(
      @ForAll("variants") Variant variant, @ForAll("sequences") List<List<Step>> sequences)
      throws Exception {
    Statistics.label("breaker").collect(variant.breaker() != null);
    Statistics.label("bulkhead").collect(variant.bulkhead() != null);
    Statistics.label("retry").collect(variant.retry() != null);
    Statistics.label("timeout").collect(variant.timeout());
    Statistics.label("fallback").collect(variant.fallbackOn() != null);
    Compilation compilation =
        COMPILED.computeIfAbsent(
            source(variant), source -> Compilation.compile("gen.Service", source));
    assertThat(compilation.errors()).isEmpty();
    Class<?> service = compilation.loader().loadClass("gen.Service");
    for (List<Step> sequence : sequences) {
      List<String> annotated = new Run(variant, sequence).annotated(service);
      List<String> programmatic = new Run(variant, sequence).programmatic();
      assertThat(annotated).as("%s%n%s", variant, sequence).isEqualTo(programmatic);
      String seen = String.join("\n", annotated);
      Statistics.label("sequence saw")
          .collect(seen.contains("state OPEN") ? "breaker open" : "breaker never open");
      Statistics.label("sequence saw half-open").collect(seen.contains("state HALF_OPEN"));
      Statistics.label("sequence saw full bulkhead")
          .collect(seen.contains("BulkheadFullException"));
      Statistics.label("sequence saw fallback").collect(seen.contains("returned fallback"));
    }
  }

  @Provide
  Arbitrary<Variant> variants() {
    Arbitrary<Breaker> breaker =
        Combinators.combine(
                Arbitraries.of(20, 50, 75, 100),
                Arbitraries.of(50, 100),
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(false, true),
                Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(1, 3))
            .as((f, s, ss, t, w, m, wait, h) -> new Breaker(f, s, ss, t, w, m, wait, h, false))
            .flatMap(
                b ->
                    Arbitraries.of(false, true)
                        .map(
                            i ->
                                new Breaker(
                                    b.failureRate(),
                                    b.slowRate(),
                                    b.slowSeconds(),
                                    b.timeBased(),
                                    b.windowSize(),
                                    b.minCalls(),
                                    b.waitSeconds(),
                                    b.halfOpen(),
                                    i)));
    Arbitrary<Retry> retry =
        Combinators.combine(
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(0.0, 0.2, 1.0),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(false, true))
            .as(Retry::new);
    return Combinators.combine(
            breaker.injectNull(0.25),
            Arbitraries.integers().between(1, 3).injectNull(0.5),
            retry.injectNull(0.5),
            Arbitraries.of(false, true),
            Arbitraries.of(IOException.class, Exception.class).injectNull(0.5))
        .as(
            (b, bulkhead, r, timeout, fallback) -> {
              boolean none = b == null && bulkhead == null && r == null && !timeout;
              return new Variant(
                  none ? new Breaker(50, 100, 1, false, 4, 2, 3, 1, false) : b,
                  bulkhead,
                  r,
                  timeout,
                  fallback);
            });
  }

  @Provide
  Arbitrary<List<List<Step>>> sequences() {
    Arbitrary<Kind> kind = Arbitraries.of(Kind.class);
    Arbitrary<Step> step =
        Combinators.combine(
                kind.list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                    net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3))),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(4, Arbitraries.just(0L)),
                    net.jqwik.api.Tuple.of(
                        1, Arbitraries.longs().between(1, 10).map(TimeUnit.SECONDS::toNanos))),
                Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.just(0L)),
                    net.jqwik.api.Tuple.of(
                        1, Arbitraries.longs().between(1, 5).map(TimeUnit.SECONDS::toNanos))))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(30).list().ofSize(SEQUENCES_PER_VARIANT);
  }

  /** The annotated interface of a variant. */
  static String source(Variant v) {
    StringBuilder s =
        new StringBuilder(
            """
        package gen;

        import dev.brownout.core.annotation.*;

        public interface Service extends dev.brownout.processor.Stepper {
        """);
    Breaker b = v.breaker();
    if (b != null) {
      s.append("  @CircuitBreaker(failureRateThreshold = ")
          .append(b.failureRate())
          .append(", slowCallRateThreshold = ")
          .append(b.slowRate())
          .append(", slowCallDurationThreshold = \"")
          .append(b.slowSeconds())
          .append("s\"")
          .append(", slidingWindowType = \"")
          .append(b.timeBased() ? "TIME_BASED" : "COUNT_BASED")
          .append('"')
          .append(", slidingWindowSize = ")
          .append(b.windowSize())
          .append(", minimumNumberOfCalls = ")
          .append(b.minCalls())
          .append(", waitDurationInOpenState = \"")
          .append(b.waitSeconds())
          .append("s\"")
          .append(", permittedNumberOfCallsInHalfOpenState = ")
          .append(b.halfOpen())
          .append(b.ignoreIse() ? ", ignoreExceptions = IllegalStateException.class" : "")
          .append(")\n");
    }
    if (v.bulkhead() != null) {
      s.append("  @Bulkhead(maxConcurrentCalls = ").append(v.bulkhead()).append(")\n");
    }
    Retry r = v.retry();
    if (r != null) {
      s.append("  @Retry(maxAttempts = ")
          .append(r.maxAttempts())
          .append(", waitDuration = \"1ms\", budgetRatio = ")
          .append(r.budgetRatio())
          .append(", minRetriesPerSecond = ")
          .append(r.minPerSecond())
          .append(r.onlyIo() ? ", retryOn = java.io.IOException.class" : "")
          .append(")\n");
    }
    if (v.timeout()) {
      s.append("  @Timeout(\"30s\")\n");
    }
    if (v.fallbackOn() != null) {
      s.append("  @Fallback(method = \"fallback\", on = ")
          .append(v.fallbackOn().getName())
          .append(".class)\n");
    }
    s.append(
            "  @Override\n  String call(java.util.concurrent.Callable<String> step) throws Exception;\n\n")
        .append(
            "  default String fallback(java.util.concurrent.Callable<String> step, Exception failure) {\n")
        .append("    return ")
        .append(FALLBACK_EXPRESSION)
        .append(";\n  }\n}\n");
    return s.toString();
  }

  private static final String FALLBACK_EXPRESSION = "\"fallback \" + failure.getClass().getName()";

  /** The guard a user would build by hand for a variant. */
  static Guard programmaticGuard(Brownout brownout, Variant v) {
    Guard.Builder guard = brownout.guard("by-hand");
    Breaker b = v.breaker();
    if (b != null) {
      CircuitBreakerConfig.Builder config =
          CircuitBreakerConfig.builder()
              .failureRateThreshold(b.failureRate())
              .slowCallRateThreshold(b.slowRate())
              .slowCallDurationThreshold(Duration.ofSeconds(b.slowSeconds()))
              .slidingWindowType(
                  b.timeBased()
                      ? CircuitBreakerConfig.WindowType.TIME_BASED
                      : CircuitBreakerConfig.WindowType.COUNT_BASED)
              .slidingWindowSize(b.windowSize())
              .minimumNumberOfCalls(b.minCalls())
              .waitDurationInOpenState(Duration.ofSeconds(b.waitSeconds()))
              .permittedNumberOfCallsInHalfOpenState(b.halfOpen());
      if (b.ignoreIse()) {
        config.ignoreExceptions(IllegalStateException.class);
      }
      guard.circuitBreaker(config.build());
    }
    if (v.bulkhead() != null) {
      guard.bulkhead(BulkheadConfig.builder().maxConcurrentCalls(v.bulkhead()).build());
    }
    Retry r = v.retry();
    if (r != null) {
      RetryConfig.Builder config =
          RetryConfig.builder()
              .maxAttempts(r.maxAttempts())
              .waitDuration(Duration.ofMillis(1))
              .budget(r.budgetRatio(), r.minPerSecond());
      if (r.onlyIo()) {
        config.retryOn(IOException.class::isInstance);
      }
      guard.retry(config.build());
    }
    if (v.timeout()) {
      guard.timeout(Duration.ofSeconds(30));
    }
    return guard.build();
  }

  /** One sequence against one side, recording everything a caller or an operator could observe. */
  static final class Run {
    private final Variant variant;
    private final List<Step> sequence;
    private final ManualTicker now = new ManualTicker(Instant.ofEpochSecond(1));
    private final List<String> trace = new ArrayList<>();
    private final AtomicLong invocations = new AtomicLong();

    Run(Variant variant, List<Step> sequence) {
      this.variant = variant;
      this.sequence = sequence;
    }

    List<String> annotated(Class<?> service) throws Exception {
      try (Brownout brownout = Brownout.builder().ticker(now).build()) {
        InvocationHandler body =
            (proxy, method, args) ->
                method.isDefault()
                    ? InvocationHandler.invokeDefault(proxy, method, args)
                    : ((Callable<?>) args[0]).call();
        Object implementation =
            Proxy.newProxyInstance(service.getClassLoader(), new Class<?>[] {service}, body);
        Stepper stepper = (Stepper) wrap(brownout, service, implementation);
        Guard guard = brownout.findGuard("Service.call").orElseThrow();
        return drive(stepper, guard);
      }
    }

    List<String> programmatic() throws Exception {
      try (Brownout brownout = Brownout.builder().ticker(now).build()) {
        Guard guard = programmaticGuard(brownout, variant);
        Class<? extends Exception> on = variant.fallbackOn();
        Fallback<String> fallback =
            on == null
                ? null
                : Fallback.onKeyed(
                    on, (key, failure) -> "fallback " + failure.getClass().getName());
        return drive(step -> guard.callFor(step, step, fallback), guard);
      }
    }

    private static <T> T wrap(Brownout brownout, Class<T> type, Object implementation) {
      return brownout.wrap(type, type.cast(implementation));
    }

    private List<String> drive(Stepper stepper, Guard guard) {
      for (Step step : sequence) {
        now.advanceNanos(step.waitBeforeNanos());
        trace.add(outcome(stepper, body(stepper, step, step.nested())));
        trace.add("invocations " + invocations.get());
        guard.circuitBreaker().ifPresent(breaker -> trace.add("state " + breaker.state()));
      }
      trace.add("counts " + guard.counts());
      return trace;
    }

    /**
     * The call's body: counts itself, takes its time on the clock, makes its nested calls, then
     * ends as scripted.
     */
    private Callable<String> body(Stepper stepper, Step step, int nested) {
      int[] attempt = {0};
      return () -> {
        invocations.incrementAndGet();
        now.advanceNanos(step.callNanos());
        if (nested > 0) {
          trace.add(
              "nested "
                  + outcome(
                      stepper, body(stepper, new Step(List.of(Kind.OK), 0, 0, 0), nested - 1)));
        }
        Kind kind = step.attempts().get(Math.min(attempt[0]++, step.attempts().size() - 1));
        return switch (kind) {
          case OK -> "ok";
          case IO -> throw new IOException("io");
          case ISE -> throw new IllegalStateException("ise");
        };
      };
    }

    private static String outcome(Stepper stepper, Callable<String> body) {
      try {
        return "returned " + stepper.call(body);
      } catch (RejectedCallException rejection) {
        return "rejected " + rejection.getClass().getName();
      } catch (Exception failure) {
        return "threw " + failure.getClass().getName() + ": " + failure.getMessage();
      }
    }
  }
}
