package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClassicCircuitBreakerTest {

  private final ManualTicker ticker = new ManualTicker();
  private final AtomicInteger transitions = new AtomicInteger();
  private final Brownout brownout =
      Brownout.builder()
          .ticker(ticker)
          .listener(
              new BrownoutListener() {
                @Override
                public void onStateTransition(CircuitBreaker breaker, State from, State to) {
                  transitions.incrementAndGet();
                }
              })
          .build();

  @AfterEach
  void close() {
    brownout.close();
  }

  private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
    return brownout.circuitBreaker(
        "b" + transitions.get() + System.identityHashCode(config), config.build());
  }

  private static CircuitBreakerConfig.Builder window(int size, int minimum) {
    return CircuitBreakerConfig.builder()
        .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, size, minimum)
        .waitDurationInOpenState(Duration.ofSeconds(10))
        .permittedNumberOfCallsInHalfOpenState(2);
  }

  private static void fail(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onError(0, new IOException("down"));
    }
  }

  private static void succeed(CircuitBreaker breaker, int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquirePermission()).isTrue();
      breaker.onSuccess(0);
    }
  }

  @Test
  void opensWhenTheFailureRateReachesTheThreshold() {
    CircuitBreaker breaker = breaker(window(4, 4).failureRateThreshold(50));
    succeed(breaker, 2);
    fail(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    fail(breaker, 1);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).hasValue(1);
  }

  @Test
  void staysClosedBeforeTheMinimumNumberOfCalls() {
    CircuitBreaker breaker = breaker(window(10, 5));
    fail(breaker, 4);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void oldFailuresSlideOutOfACountWindow() {
    CircuitBreaker breaker = breaker(window(4, 4));
    fail(breaker, 1);
    succeed(breaker, 4); // the failure has left the window
    fail(breaker, 1);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void oldFailuresExpireFromATimeWindow() {
    CircuitBreaker breaker =
        breaker(
            CircuitBreakerConfig.builder()
                .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 10, 2));
    fail(breaker, 1);
    ticker.advance(Duration.ofSeconds(11));
    succeed(breaker, 3);
    fail(breaker, 1);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void slowCallsOpenTheBreakerWhenSlowCallDetectionIsOn() {
    CircuitBreaker breaker =
        breaker(
            window(4, 4)
                .slowCallDurationThreshold(Duration.ofMillis(100))
                .slowCallRateThreshold(50));
    for (int i = 0; i < 2; i++) {
      breaker.tryAcquirePermission();
      breaker.onSuccess(Duration.ofMillis(500).toNanos());
    }
    succeed(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    succeed(breaker, 1);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void waitsInOpenUntilStrictlyAfterTheWaitThenLetsProbesThrough() {
    CircuitBreaker breaker = breaker(window(2, 2));
    fail(breaker, 2);

    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.tryAcquirePermission()).isFalse();
    ticker.advanceNanos(1);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).as("only two probes").isFalse();
  }

  @Test
  void saysItRejectsCallsOnlyUntilTheWaitEndsWithoutChangingState() {
    CircuitBreaker breaker = breaker(window(2, 2));
    assertThat(breaker.isRejectingCalls()).isFalse();
    fail(breaker, 2);
    assertThat(breaker.isRejectingCalls()).isTrue();

    ticker.advance(Duration.ofSeconds(10));
    assertThat(breaker.isRejectingCalls()).isTrue();
    ticker.advanceNanos(1);
    assertThat(breaker.isRejectingCalls()).isFalse();
    assertThat(breaker.state()).as("asking is not a call").isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.isRejectingCalls()).isFalse();

    breaker.forceOpen();
    assertThat(breaker.isRejectingCalls()).isTrue();
    breaker.disable();
    assertThat(breaker.isRejectingCalls()).isFalse();
  }

  @Test
  void aReleasedProbeCanBeTakenAgain() {
    CircuitBreaker breaker = breaker(window(2, 2));
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(11));
    assertThat(breaker.tryAcquirePermission()).isTrue();
    assertThat(breaker.tryAcquirePermission()).isTrue();

    breaker.releasePermission();

    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void closesOnlyAfterTheProbesSucceedAndReopensOnFailingProbes() {
    CircuitBreaker breaker = breaker(window(2, 2));
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(11));
    succeed(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    succeed(breaker, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(11));
    breaker.tryAcquirePermission();
    breaker.onError(0, new IOException("still down"));
    breaker.tryAcquirePermission();
    breaker.onError(0, new IOException("still down"));
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aBackoffMakesTheSecondOpeningWaitLonger() {
    CircuitBreaker breaker =
        breaker(
            window(2, 2)
                .waitIntervalFunctionInOpenState(Backoff.exponential(Duration.ofSeconds(10), 2)));
    fail(breaker, 2);
    ticker.advance(Duration.ofSeconds(11));
    breaker.tryAcquirePermission();
    breaker.onError(0, new IOException("still down"));
    breaker.tryAcquirePermission();
    breaker.onError(0, new IOException("still down"));
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    ticker.advance(Duration.ofSeconds(15));
    assertThat(breaker.tryAcquirePermission()).as("second wait is 20 s").isFalse();
    ticker.advance(Duration.ofSeconds(6));
    assertThat(breaker.tryAcquirePermission()).isTrue();
  }

  @Test
  void ignoredExceptionsAreNotRecordedAndUnrecordedOnesCountAsSuccess() {
    CircuitBreaker breaker =
        breaker(
            window(2, 2)
                .recordExceptions(IOException.class)
                .ignoreExceptions(java.io.FileNotFoundException.class));
    for (int i = 0; i < 5; i++) {
      breaker.tryAcquirePermission();
      breaker.onError(0, new java.io.FileNotFoundException("ignored"));
      breaker.tryAcquirePermission();
      breaker.onError(0, new IllegalArgumentException("not recorded: a success"));
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(breaker, 1); // the window now holds a success and a failure: 50%
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aResultThePredicateMarksCountsAsAFailure() {
    CircuitBreaker breaker = breaker(window(2, 2).recordResult("error"::equals));
    breaker.tryAcquirePermission();
    breaker.onResult(0, "error");
    breaker.tryAcquirePermission();
    breaker.onResult(0, "error");

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void manualStatesHoldUntilReset() {
    CircuitBreaker breaker = breaker(window(2, 2));
    breaker.forceOpen();
    assertThat(breaker.tryAcquirePermission()).isFalse();
    breaker.forceClosed();
    fail(breaker, 10);
    assertThat(breaker.state()).isEqualTo(State.FORCED_CLOSED);
    breaker.disable();
    fail(breaker, 10);
    assertThat(breaker.state()).isEqualTo(State.DISABLED);
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(transitions).hasValue(4);
  }

  enum Action {
    SUCCESS,
    FAILURE,
    WAIT,
    RELEASE
  }

  /**
   * Random actions against the invariants of the state machine: no call is permitted while OPEN
   * before the wait ends; at most {@code probes} calls are out in HALF_OPEN; CLOSED follows
   * HALF_OPEN only once the probes it waits for (Resilience4j's min(minimum calls, probes)) have
   * reported and their failure rate is below the threshold.
   */
  @Property(tries = 1_000)
  void theStateMachineKeepsItsInvariants(
      @ForAll("actions") List<Action> actions,
      @ForAll @IntRange(min = 1, max = 5) int probes,
      @ForAll @IntRange(min = 1, max = 8) int size) {
    try (Brownout runtime = Brownout.builder().ticker(ticker).build()) {
      long waitNanos = Duration.ofSeconds(5).toNanos();
      CircuitBreaker breaker =
          runtime.circuitBreaker(
              "p",
              CircuitBreakerConfig.builder()
                  .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, size, size)
                  .waitDurationInOpenState(Duration.ofSeconds(5))
                  .permittedNumberOfCallsInHalfOpenState(probes)
                  .build());
      long openedAt = Long.MIN_VALUE;
      int outstandingProbes = 0;
      int probeReports = 0;
      int probeFailures = 0;
      for (Action action : actions) {
        State before = breaker.state();
        if (action == Action.WAIT) {
          ticker.advance(Duration.ofSeconds(2));
        } else {
          boolean permitted = breaker.tryAcquirePermission();
          if (before == State.OPEN && ticker.read() - openedAt <= waitNanos) {
            assertThat(permitted).as("no call while OPEN before the wait ends").isFalse();
          }
          if (permitted && breaker.state() == State.HALF_OPEN) {
            outstandingProbes++;
            assertThat(outstandingProbes).as("probes out in HALF_OPEN").isLessThanOrEqualTo(probes);
          }
          if (permitted) {
            boolean probe = breaker.state() == State.HALF_OPEN;
            switch (action) {
              case SUCCESS -> breaker.onSuccess(0);
              case FAILURE -> breaker.onError(0, new IOException("down"));
              default -> breaker.releasePermission();
            }
            if (probe) {
              outstandingProbes--;
              if (action != Action.RELEASE) {
                probeReports++;
              }
              if (action == Action.FAILURE) {
                probeFailures++;
              }
            }
          }
        }
        State after = breaker.state();
        if (after == State.OPEN && before != State.OPEN) {
          openedAt = ticker.read();
        }
        if (before == State.HALF_OPEN && after == State.CLOSED) {
          assertThat(probeReports)
              .as("probes reported before CLOSED")
              .isGreaterThanOrEqualTo(Math.min(size, probes));
          assertThat(probeFailures * 100.0 / probeReports)
              .as("failure rate of the probes")
              .isLessThan(50.0);
        }
        if (after != State.HALF_OPEN) {
          probeReports = 0;
          probeFailures = 0;
          outstandingProbes = 0;
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Action>> actions() {
    return Arbitraries.of(Action.class).list().ofMaxSize(150);
  }
}
