package dev.brownout.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Binds a runtime's meters to the registries it is bound to, including guards, breakers and
 * bulkheads created after binding. Meters read the runtime's own striped counters when the registry
 * publishes, so calls do not touch a meter, except the latency timer of a guard that asks for it.
 *
 * <ul>
 *   <li>{@code brownout.calls} (function timer; tags {@code guard}, {@code outcome}, {@code cause})
 *   <li>{@code brownout.latency} (timer with a percentile histogram; tag {@code guard}), for a
 *       guard that records latency: the one meter a call feeds itself (see {@link
 *       LatencyHistogram})
 *   <li>{@code brownout.retry.calls} (function counter; tags {@code guard}, {@code result}), {@code
 *       brownout.retry.retries} and {@code brownout.retry.budget.exhausted} (function counters; tag
 *       {@code guard}), for a guard that retries
 *   <li>{@code brownout.breaker.state} (gauge of {@link CircuitBreaker.State#code()}; tag {@code
 *       breaker})
 *   <li>{@code brownout.breaker.transitions} (counter; tags {@code breaker}, {@code from}, {@code
 *       to})
 *   <li>{@code brownout.bulkhead.available} (gauge of free permits; tag {@code bulkhead})
 *   <li>{@code brownout.limiter.limit} (gauge; tag {@code limiter}), {@code
 *       brownout.limiter.inflight} (gauge) and {@code brownout.limiter.refused} (counter), both
 *       tagged {@code limiter} and {@code partition} ({@code none} for calls of no partition)
 * </ul>
 */
final class BrownoutMetrics implements MeterBinder {

  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final List<Consumer<MeterRegistry>> meters = new CopyOnWriteArrayList<>();

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    registries.add(registry);
    for (Consumer<MeterRegistry> meter : meters) {
      meter.accept(registry);
    }
  }

  private synchronized void add(Consumer<MeterRegistry> meter) {
    meters.add(meter);
    for (MeterRegistry registry : registries) {
      meter.accept(registry);
    }
  }

  void binder(MeterBinder binder) {
    add(binder::bindTo);
  }

  /**
   * The call meters of a guard (or a family of per-key guards), and its latency and retry meters
   * once a guard on {@code stats} records latency or retries.
   */
  void guard(String guard, CallStats stats) {
    add(
        registry -> {
          for (Outcome outcome : Outcome.ALL) {
            for (Cause cause : outcome.causes) {
              FunctionTimer.builder(
                      "brownout.calls",
                      stats,
                      s -> s.count(outcome, cause),
                      s -> s.totalNanos(outcome, cause),
                      TimeUnit.NANOSECONDS)
                  .description(
                      "Calls through a guard, by what the caller got (outcome) and why (cause); time is recorded when the guard times calls")
                  .tags("guard", guard, "outcome", outcome.tag, "cause", cause.tag)
                  .register(registry);
            }
          }
        });
    stats.publishTo(this, guard);
  }

  /** The durations of a guard's attempts, as a timer whose histogram reaches the registry. */
  void latency(String guard, LatencyHistogram histogram) {
    add(
        registry ->
            histogram.publishTo(
                Timer.builder("brownout.latency")
                    .description("Durations of the attempts through a guard that records latency")
                    .tags("guard", guard)
                    .publishPercentileHistogram()
                    .register(registry)));
  }

  /** The retry meters of a guard that retries. */
  void retry(String guard, CallStats stats) {
    add(
        registry -> {
          retryCalls(registry, guard, stats, "not_retried", CallStats::notRetried);
          retryCalls(
              registry, guard, stats, "succeeded_after_retry", CallStats::succeededAfterRetry);
          retryCalls(registry, guard, stats, "failed_after_retry", CallStats::failedAfterRetry);
          FunctionCounter.builder("brownout.retry.retries", stats, CallStats::retries)
              .description("Attempts after the first, of the calls that ended")
              .tags("guard", guard)
              .register(registry);
          FunctionCounter.builder(
                  "brownout.retry.budget.exhausted", stats, CallStats::budgetExhaustedCount)
              .description("Retries the retry config allowed and the retry budget refused")
              .tags("guard", guard)
              .register(registry);
        });
  }

  private static void retryCalls(
      MeterRegistry registry,
      String guard,
      CallStats stats,
      String result,
      ToDoubleFunction<CallStats> count) {
    FunctionCounter.builder("brownout.retry.calls", stats, count)
        .description(
            "Calls through a guard that retries, by whether they were retried and how they ended")
        .tags("guard", guard, "result", result)
        .register(registry);
  }

  void breaker(CircuitBreaker breaker) {
    add(
        registry ->
            Gauge.builder("brownout.breaker.state", breaker, b -> b.state().code())
                .description(
                    "Circuit breaker state: 0 closed, 1 open, 2 half-open, 3 throttling, 4 forced open, 5 forced closed, 6 disabled")
                .tags("breaker", breaker.name())
                .register(registry));
  }

  void bulkhead(Bulkhead bulkhead) {
    add(
        registry ->
            Gauge.builder("brownout.bulkhead.available", bulkhead, Bulkhead::availablePermits)
                .description("Free permits of a bulkhead")
                .tags("bulkhead", bulkhead.name())
                .register(registry));
  }

  void limiter(Limiter limiter) {
    add(
        registry -> {
          Gauge.builder("brownout.limiter.limit", limiter, Limiter::limit)
              .description("The current limit of an adaptive concurrency limiter")
              .tags("limiter", limiter.name())
              .register(registry);
          for (Limiter.Partition partition : limiter.partitions()) {
            String tag = partition.name().isEmpty() ? "none" : partition.name();
            Gauge.builder("brownout.limiter.inflight", partition, Limiter.Partition::inFlight)
                .description(
                    "Calls in flight through an adaptive concurrency limiter, by partition")
                .tags("limiter", limiter.name(), "partition", tag)
                .register(registry);
            FunctionCounter.builder(
                    "brownout.limiter.refused", partition, Limiter.Partition::refused)
                .description("Calls an adaptive concurrency limiter refused, by partition")
                .tags("limiter", limiter.name(), "partition", tag)
                .register(registry);
          }
        });
  }

  void transition(CircuitBreaker breaker, CircuitBreaker.State from, CircuitBreaker.State to) {
    for (MeterRegistry registry : registries) {
      Counter.builder("brownout.breaker.transitions")
          .description("Circuit breaker state transitions")
          .tags("breaker", breaker.family(), "from", from.name(), "to", to.name())
          .register(registry)
          .increment();
    }
  }
}
