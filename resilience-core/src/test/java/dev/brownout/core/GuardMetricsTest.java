package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a guard reports: {@code brownout.calls} by outcome and cause, the retry meters, the
 * breaker's state and transitions, the bulkhead's free permits, per-key guards under their family
 * name, and the same outcomes as {@link CallCounts}.
 */
class GuardMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void callsAreTimedByGuardAndOutcome() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard =
          brownout.guard("inventory").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
      guard.call(() -> "ok");
      guard.call(() -> "ok");
      guard.call(
          () -> {
            throw new IOException("down");
          },
          Fallback.value("fb"));
      guard.circuitBreaker().orElseThrow().forceOpen();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.call(() -> "x"))
          .isInstanceOf(CallNotPermittedException.class);

      assertThat(timer("inventory", "success").count()).isEqualTo(2);
      assertThat(timer("inventory", "fallback", "failure").count()).isEqualTo(1);
      assertThat(timer("inventory", "rejected", "breaker_open").count()).isEqualTo(1);
      assertThat(timer("inventory", "failure").count()).isZero();
      assertThat(timer("inventory", "timeout").count()).isZero();
      assertThat(registry.find("brownout.calls").tag("guard", "inventory").functionTimers())
          .extracting(t -> t.getId().getTag("outcome") + "/" + t.getId().getTag("cause"))
          .containsExactlyInAnyOrder(
              "success/none",
              "failure/failure",
              "timeout/timeout",
              "rejected/breaker_open",
              "rejected/bulkhead_full",
              "rejected/rate_limited",
              "rejected/concurrency_limited",
              "rejected/rejected",
              "fallback/failure",
              "fallback/timeout",
              "fallback/breaker_open",
              "fallback/bulkhead_full",
              "fallback/rate_limited",
              "fallback/concurrency_limited",
              "fallback/rejected",
              "degraded/degraded");
    }
  }

  @Test
  void countsReportEachOutcomeAndTheirDifference() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard guard = brownout.guard("counted").build();
      CallCounts before = guard.counts();
      guard.call(() -> "fresh");
      guard.call(
          () -> {
            throw new IOException("down");
          },
          Fallback.value("fb"));
      assertThatThrownBy(
              () ->
                  guard.call(
                      () -> {
                        throw new IOException("down");
                      }))
          .isInstanceOf(IOException.class);

      CallCounts interval = guard.counts().minus(before);

      assertThat(interval).isEqualTo(new CallCounts(1, 1, 0, 0, 0, 1, 0, 0));
      assertThat(interval.total()).isEqualTo(3);
      assertThat(interval.errorRate()).isEqualTo(2.0 / 3.0);
    }
  }

  @Test
  void retriedCallsAreCountedByHowTheyEnded() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard =
          brownout
              .guard("quotes")
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(3)
                      .backoff(Backoff.fixed(Duration.ZERO))
                      .build())
              .build();
      AtomicInteger failuresLeft = new AtomicInteger();
      Callable<String> flaky =
          () -> {
            if (failuresLeft.getAndDecrement() > 0) {
              throw new IOException("down");
            }
            return "ok";
          };

      guard.call(flaky); // not retried
      failuresLeft.set(1);
      guard.call(flaky); // succeeded after 1 retry
      failuresLeft.set(1);
      guard
          .callAsync(
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        try {
                          return flaky.call();
                        } catch (Exception e) {
                          throw new CompletionException(e);
                        }
                      }))
          .toCompletableFuture()
          .join(); // succeeded after 1 retry, async
      failuresLeft.set(3);
      assertThat(guard.call(flaky, Fallback.value("fb"))).isEqualTo("fb"); // failed after 2 retries
      failuresLeft.set(0);
      guard.call(flaky); // not retried

      assertThat(retryCalls("quotes", "not_retried")).isEqualTo(2);
      assertThat(retryCalls("quotes", "succeeded_after_retry")).isEqualTo(2);
      assertThat(retryCalls("quotes", "failed_after_retry")).isEqualTo(1);
      assertThat(counter("brownout.retry.retries", "quotes")).isEqualTo(4);
      assertThat(counter("brownout.retry.budget.exhausted", "quotes")).isZero();
      assertThat(guard.counts().total()).isEqualTo(5);
    }
  }

  @Test
  void aCallCancelledWhileItWaitsToRetryCountsOnlyTheAttemptItMade() {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard =
          brownout
              .guard("cancelled-in-wait")
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(3)
                      .backoff(Backoff.fixed(Duration.ofSeconds(30)))
                      .build())
              .build();
      AtomicInteger attempts = new AtomicInteger();
      CompletableFuture<String> call =
          guard
              .<String>callAsync(
                  () -> {
                    attempts.incrementAndGet();
                    return CompletableFuture.failedFuture(new IOException("down"));
                  })
              .toCompletableFuture();

      assertThat(call.cancel(true)).isTrue();

      assertThat(attempts).hasValue(1);
      assertThat(guard.counts().failure()).isEqualTo(1);
      assertThat(retryCalls("cancelled-in-wait", "not_retried")).isEqualTo(1);
      assertThat(retryCalls("cancelled-in-wait", "failed_after_retry")).isZero();
      assertThat(counter("brownout.retry.retries", "cancelled-in-wait")).isZero();
    }
  }

  @Test
  void retriesTheBudgetRefusesAreCounted() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Guard guard =
          brownout
              .guard("no-budget")
              .retry(
                  RetryConfig.builder()
                      .maxAttempts(3)
                      .backoff(Backoff.fixed(Duration.ZERO))
                      .budget(0.0, 0)
                      .build())
              .build();
      for (int i = 0; i < 4; i++) {
        assertThatThrownBy(
                () ->
                    guard.call(
                        () -> {
                          throw new IOException("down");
                        }))
            .isInstanceOf(IOException.class);
      }

      assertThat(counter("brownout.retry.budget.exhausted", "no-budget")).isEqualTo(4);
      assertThat(counter("brownout.retry.retries", "no-budget")).isZero();
      assertThat(retryCalls("no-budget", "not_retried")).isEqualTo(4);
    }
  }

  @Test
  void aGuardWithoutRetryHasNoRetryMeters() {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      brownout.guard("plain").build();

      assertThat(registry.find("brownout.retry.calls").meters()).isEmpty();
    }
  }

  @Test
  void perKeyGuardsPublishTheirRetryMetersOnceUnderTheirFamily() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      KeyedGuards<String> perTenant =
          brownout.keyedGuards(
              "tenant-retry",
              100,
              Duration.ofMinutes(1),
              g ->
                  g.retry(
                      RetryConfig.builder()
                          .maxAttempts(2)
                          .backoff(Backoff.fixed(Duration.ZERO))
                          .build()));
      AtomicInteger calls = new AtomicInteger();
      for (String tenant : List.of("acme", "globex")) {
        perTenant
            .get(tenant)
            .call(
                () -> {
                  if (calls.incrementAndGet() % 2 == 1) {
                    throw new IOException("down");
                  }
                  return tenant;
                });
      }

      assertThat(
              registry
                  .find("brownout.retry.calls")
                  .tag("result", "succeeded_after_retry")
                  .functionCounters())
          .singleElement()
          .satisfies(
              counter -> assertThat(counter.getId().getTag("guard")).isEqualTo("tenant-retry"))
          .satisfies(counter -> assertThat(counter.count()).isEqualTo(2));
    }
  }

  @Test
  void breakerStateTransitionsAndBulkheadPermitsArePublished() {
    try (Brownout brownout = Brownout.builder().build()) {
      brownout.metrics().bindTo(registry); // bound after creation of the runtime, before the guard
      Guard guard =
          brownout
              .guard("payments")
              .circuitBreaker(CircuitBreakerConfig.ofDefaults())
              .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(7).build())
              .build();
      CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();

      assertThat(gauge("brownout.breaker.state", "breaker", "payments").value()).isEqualTo(0);
      breaker.forceOpen();
      assertThat(gauge("brownout.breaker.state", "breaker", "payments").value())
          .isEqualTo(CircuitBreaker.State.FORCED_OPEN.code());
      breaker.reset();
      Counter opened =
          registry
              .find("brownout.breaker.transitions")
              .tags("breaker", "payments", "from", "CLOSED", "to", "FORCED_OPEN")
              .counter();
      Counter closed =
          registry
              .find("brownout.breaker.transitions")
              .tags("breaker", "payments", "from", "FORCED_OPEN", "to", "CLOSED")
              .counter();
      assertThat(opened).isNotNull();
      assertThat(opened.count()).isEqualTo(1);
      assertThat(closed.count()).isEqualTo(1);
      assertThat(gauge("brownout.bulkhead.available", "bulkhead", "payments").value()).isEqualTo(7);
    }
  }

  @Test
  void keyedGuardsReportUnderTheirFamilyName() throws Exception {
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      KeyedGuards<String> perTenant =
          brownout.keyedGuards(
              "tenant-api",
              100,
              java.time.Duration.ofMinutes(1),
              g -> g.circuitBreaker(CircuitBreakerConfig.ofDefaults()));
      perTenant.get("acme").call(() -> 1);
      perTenant.get("globex").call(() -> 2);

      assertThat(timer("tenant-api", "success").count()).isEqualTo(2);
      assertThat(registry.find("brownout.calls").tag("guard", "tenant-api[acme]").meters())
          .isEmpty();
    }
  }

  /** The one series of an outcome that has one cause. */
  private FunctionTimer timer(String guard, String outcome) {
    return timer(guard, outcome, outcome.equals("success") ? "none" : outcome);
  }

  private FunctionTimer timer(String guard, String outcome, String cause) {
    FunctionTimer timer =
        registry
            .find("brownout.calls")
            .tags("guard", guard, "outcome", outcome, "cause", cause)
            .functionTimer();
    assertThat(timer)
        .as("brownout.calls{guard=%s,outcome=%s,cause=%s}", guard, outcome, cause)
        .isNotNull();
    return timer;
  }

  private double retryCalls(String guard, String result) {
    FunctionCounter counter =
        registry
            .find("brownout.retry.calls")
            .tags("guard", guard, "result", result)
            .functionCounter();
    assertThat(counter).as("brownout.retry.calls{guard=%s,result=%s}", guard, result).isNotNull();
    return counter.count();
  }

  private double counter(String name, String guard) {
    FunctionCounter counter = registry.find(name).tag("guard", guard).functionCounter();
    assertThat(counter).as("%s{guard=%s}", name, guard).isNotNull();
    return counter.count();
  }

  private Gauge gauge(String name, String tag, String value) {
    Gauge gauge = registry.find(name).tag(tag, value).gauge();
    assertThat(gauge).as("%s{%s=%s}", name, tag, value).isNotNull();
    return gauge;
  }
}
