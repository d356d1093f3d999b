package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.CircuitBreakerConfig.WindowType;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import dev.brownout.core.compat.Dependency.Path;
import dev.brownout.core.compat.Hierarchy.Leaf;
import dev.brownout.core.compat.Hierarchy.Middle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * MicroProfile Fault Tolerance's circuit breaker scenarios (its TCK's {@code CircuitBreakerTest},
 * {@code CircuitBreakerInitialSuccessTest}, {@code CircuitBreakerLateSuccessTest}, {@code
 * CircuitBreakerExceptionHierarchyTest}, {@code CircuitBreakerTimeoutTest} and {@code
 * CircuitBreakerBulkheadTest}), restated on the guard. MP's {@code requestVolumeThreshold = n,
 * failureRatio = r, successThreshold = k} is a count window of {@code n} calls with a minimum of
 * {@code n}, a failure rate threshold of {@code 100 r}, and {@code k} calls permitted in HALF_OPEN.
 * Each scenario runs through {@code call} and {@code callAsync}; the wait in OPEN passes on a
 * hand-driven ticker. See {@link Dependency} for the scripts' letters.
 */
class CircuitBreakerCompatTest {

  private static final Duration WAIT = Duration.ofSeconds(50);

  private final ManualTicker ticker = new ManualTicker();
  private final Brownout brownout = Brownout.builder().ticker(ticker).build();

  @AfterEach
  void close() {
    brownout.close();
  }

  private Guard guard(int volume, float failurePercent, int successThreshold) {
    return brownout
        .guard("service")
        .circuitBreaker(config(volume, failurePercent, successThreshold).build())
        .build();
  }

  private static CircuitBreakerConfig.Builder config(
      int volume, float failurePercent, int successThreshold) {
    return CircuitBreakerConfig.builder()
        .slidingWindow(WindowType.COUNT_BASED, volume, volume)
        .failureRateThreshold(failurePercent)
        .waitDurationInOpenState(WAIT)
        .permittedNumberOfCallsInHalfOpenState(successThreshold);
  }

  /**
   * {@code CircuitBreakerTest.testCircuitClosedThenOpen}: four failures open it; the rest are
   * rejected unrun.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void opensOnceTheWindowOfFourHasThreeQuartersFailures(Path path) {
    Dependency service = new Dependency(guard(4, 75, 2), path, ticker);

    assertThat(service.run("ffff fff", WAIT)).isEqualTo("f f f f o o o");
    assertThat(service.executions()).isEqualTo(4);
  }

  /**
   * {@code CircuitBreakerTest.testCircuitReClose}: after the wait, two successful probes close it
   * again.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void twoSuccessfulProbesCloseItAfterTheWait(Path path) {
    Guard guard = guard(4, 75, 2);
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.run("ffff | ss", WAIT)).isEqualTo("f f f f s s");
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(service.run("s", WAIT)).isEqualTo("s");
    assertThat(service.executions()).isEqualTo(7);
  }

  /**
   * {@code CircuitBreakerTest.testCircuitDefaultSuccessThreshold}: one probe closes it with an
   * empty window, so four more calls, three of them failed, are needed to open it again.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void oneSuccessfulProbeClosesItWithAnEmptyWindow(Path path) {
    Dependency service = new Dependency(guard(4, 75, 1), path, ticker);

    assertThat(service.run("ffff f | s ffff f", WAIT)).isEqualTo("f f f f o s f f f f o");
    assertThat(service.executions()).isEqualTo(9);
  }

  /**
   * {@code CircuitBreakerInitialSuccessTest}: a success first, then three failures, still opens it.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void anInitialSuccessDoesNotKeepItClosed(Path path) {
    Dependency service = new Dependency(guard(4, 75, 1), path, ticker);

    assertThat(service.run("sfff f | s sfff f", WAIT)).isEqualTo("s f f f o s s f f f o");
    assertThat(service.executions()).isEqualTo(9);
  }

  /**
   * {@code CircuitBreakerLateSuccessTest}: three failures, then a success that fills the window,
   * opens it.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aLateSuccessDoesNotKeepItClosed(Path path) {
    Dependency service = new Dependency(guard(4, 75, 1), path, ticker);

    assertThat(service.run("fffs f | s fffs f", WAIT)).isEqualTo("f f f s o s f f f s o");
    assertThat(service.executions()).isEqualTo(9);
  }

  /**
   * {@code CircuitBreakerTest.testClassLevelCircuitOverride}: a window of two at 100% opens on the
   * second failure.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aWindowOfTwoAtFullFailureRateOpensOnTheSecondFailure(Path path) {
    Dependency service = new Dependency(guard(2, 100, 2), path, ticker);

    assertThat(service.run("ff fffff", WAIT)).isEqualTo("f f o o o o o");
    assertThat(service.executions()).isEqualTo(2);
  }

  /**
   * {@code CircuitBreakerTest.testRollingWindowCircuitOpen}: success, two failures, success: half
   * failed, open.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void opensWhenTheFullWindowReachesHalfFailures(Path path) {
    Dependency service = new Dependency(guard(4, 50, 1), path, ticker);

    assertThat(service.run("sffs s", WAIT)).isEqualTo("s f f s o");
    assertThat(service.executions()).isEqualTo(4);
  }

  /**
   * {@code CircuitBreakerTest.testRollingWindowCircuitOpen2}: the window rolls: the fifth call's
   * failure opens it.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void theWindowRollsOverTheLastCalls(Path path) {
    Dependency service = new Dependency(guard(4, 50, 1), path, ticker);

    assertThat(service.run("sfssf s", WAIT)).isEqualTo("s f s s f o");
    assertThat(service.executions()).isEqualTo(5);
  }

  /**
   * {@code CircuitBreakerTest.testCircuitHighSuccessThreshold}, where Brownout differs on purpose.
   * MP ({@code successThreshold = 3}) reopens on the third probe's failure, so the ninth call is
   * rejected. Brownout lets three probes through and then decides by their failure rate, as
   * Resilience4j does: one failure in three is under 75%, so the breaker closes and the ninth call
   * runs.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void halfOpenDecidesByTheProbesFailureRateNotByTheFirstFailure(Path path) {
    Guard guard = guard(4, 75, 3);
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.run("ffff f | ssf s", WAIT)).isEqualTo("f f f f o s s f s");
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(service.executions()).isEqualTo(8);
  }

  /** The other side of the same difference: probes that fail at the threshold's rate reopen it. */
  @ParameterizedTest
  @EnumSource(Path.class)
  void halfOpenReopensWhenTheProbesReachTheFailureRate(Path path) {
    Dependency service = new Dependency(guard(4, 50, 2), path, ticker);

    assertThat(service.run("ffff | sf s", WAIT)).isEqualTo("f f f f s f o");
    assertThat(service.executions()).isEqualTo(6);
  }

  /**
   * {@code CircuitBreakerExceptionHierarchyTest}, where Brownout differs on purpose: MP counts a
   * {@code skipOn} failure as a success; Brownout's {@code ignoreExceptions} leaves it out of the
   * window, so ignored failures between two recorded ones do not dilute the rate. An exception
   * outside {@code recordExceptions} counts as a success in both.
   */
  @Test
  void anIgnoredExceptionLeavesTheWindowRatherThanCountingAsSuccess() throws Exception {
    Guard guard =
        brownout
            .guard("hierarchy")
            .circuitBreaker(
                config(2, 100, 1)
                    .recordExceptions(Middle.class)
                    .ignoreExceptions(Leaf.class)
                    .build())
            .build();
    CircuitBreaker breaker = guard.circuitBreaker().orElseThrow();

    fail(guard, new Middle());
    fail(guard, new Leaf());
    fail(guard, new Hierarchy.Root());
    assertThat(breaker.state())
        .as("a Root failure outside recordExceptions counts as a success")
        .isEqualTo(CircuitBreaker.State.CLOSED);
    fail(guard, new Middle());
    fail(guard, new Leaf());
    fail(guard, new Middle());
    assertThat(breaker.state())
        .as("MP would see [Middle, Leaf=success] and stay closed")
        .isEqualTo(CircuitBreaker.State.OPEN);
  }

  /**
   * {@code CircuitBreakerBulkheadTest.testCircuitBreakerAroundBulkheadSync/Async}, where Brownout
   * differs on purpose: MP counts each {@code BulkheadException} as a failure of the breaker around
   * the bulkhead, so three of them open it. A full bulkhead says nothing about the dependency, so
   * Brownout gives the breaker's permission back: the callers keep getting the bulkhead's rejection
   * and the breaker stays CLOSED (as with MP's {@code failOn} that leaves out {@code
   * BulkheadException}).
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aFullBulkheadIsNotAFailureOfTheBreakerAroundIt(Path path) throws Exception {
    Guard guard =
        brownout
            .guard("around-bulkhead")
            .circuitBreaker(config(3, 100, 1).build())
            .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(1).build())
            .build();
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> holder = new CompletableFuture<>();
    CompletableFuture<?> first;
    if (path == Path.CALL) {
      CountDownLatch started = new CountDownLatch(1);
      first =
          CompletableFuture.runAsync(
              () -> {
                try {
                  guard.call(
                      () -> {
                        started.countDown();
                        release.await();
                        return "first";
                      });
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    } else {
      first = guard.callAsync(() -> holder).toCompletableFuture();
    }
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.run("sssss", WAIT)).isEqualTo("b b b b b");
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(service.executions()).isZero();
    release.countDown();
    holder.complete("first");
    first.get(10, TimeUnit.SECONDS);
  }

  /**
   * {@code CircuitBreakerTimeoutTest.testTimeout}: four timed-out calls are four failures: they
   * open it.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void timeoutsAreFailuresOfTheBreaker(Path path) {
    Guard guard =
        brownout
            .guard("timed")
            .circuitBreaker(config(4, 75, 1).build())
            .timeout(Duration.ofMillis(20))
            .build();
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.run("hhhh s", WAIT)).isEqualTo("t t t t o");
    assertThat(service.executions()).isEqualTo(4);
  }

  /**
   * {@code CircuitBreakerTimeoutTest.testTimeoutWithoutFailOn}: a breaker that records only the
   * dependency's own failure counts a timeout as a success (Brownout: an exception outside {@code
   * recordExceptions}), so it stays closed.
   */
  @ParameterizedTest
  @EnumSource(Path.class)
  void aBreakerThatRecordsOtherFailuresIgnoresTimeouts(Path path) {
    Guard guard =
        brownout
            .guard("timed")
            .circuitBreaker(config(4, 75, 1).recordExceptions(Dependency.Failure.class).build())
            .timeout(Duration.ofMillis(20))
            .build();
    Dependency service = new Dependency(guard, path, ticker);

    assertThat(service.run("hhhh s", WAIT)).isEqualTo("t t t t s");
    assertThat(guard.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  private static void fail(Guard guard, Exception failure) {
    try {
      guard.call(
          () -> {
            throw failure;
          });
    } catch (Exception expected) {
      assertThat(expected).isSameAs(failure);
    }
  }
}
