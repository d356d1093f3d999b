package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The policies other modules plug into a guard through {@code spi}: an {@code Admission} (the
 * feature switch) that may deny a call and sees real results, and a {@code Recovery} (the outermost
 * policy) that turns an escaping failure into a value; sync and async alike.
 */
class GuardExtensionPointsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void close() {
    brownout.close();
  }

  /** Admits only the keys it is told to, substitutes "degraded:<key>", remembers real results. */
  private static final class Switch implements Admission {
    volatile boolean on = true;
    final List<Object> seen = new ArrayList<>();

    @Override
    public boolean admits(Object key) {
      return on;
    }

    @Override
    public Object denied(Object key) {
      return "degraded:" + key;
    }

    @Override
    public boolean observesResults() {
      return true;
    }

    @Override
    public void succeeded(Object key, Object result) {
      seen.add(key + "=" + result);
    }
  }

  private String work() {
    calls.incrementAndGet();
    return "fresh";
  }

  private double count(String guard, String outcome) {
    FunctionTimer timer =
        registry.find("brownout.calls").tags("guard", guard, "outcome", outcome).functionTimer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aDeniedCallNeverReachesTheDependencyAndGetsTheSubstitute() throws Exception {
    Switch feature = new Switch();
    Guard guard =
        brownout
            .guard("recs")
            .admission(feature)
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .build();
    feature.on = false;

    assertThat(guard.callFor("user-7", this::work)).isEqualTo("degraded:user-7");
    assertThat(calls).hasValue(0);
    assertThat(count("recs", "degraded")).isEqualTo(1);
  }

  @Test
  void theAdmissionSeesRealResultsButNotFallbackValues() throws Exception {
    Switch feature = new Switch();
    Guard guard = brownout.guard("recs").admission(feature).build();

    guard.callFor("a", this::work);
    guard.callFor(
        "b",
        () -> {
          throw new IOException("down");
        },
        Fallback.value("fallback"));

    assertThat(feature.seen).containsExactly("a=fresh");
  }

  @Test
  void recoveryTurnsAnEscapingFailureIntoAValue() throws Exception {
    List<String> incidents = new ArrayList<>();
    Recovery recovery =
        (guard, thrown) -> {
          incidents.add(guard + ":" + thrown.getClass().getSimpleName());
          return "recovered";
        };
    Guard guard = brownout.guard("page").recovery(recovery).build();

    String value =
        guard.call(
            () -> {
              throw new IllegalStateException("bug");
            });

    assertThat(value).isEqualTo("recovered");
    assertThat(incidents).containsExactly("page:IllegalStateException");
  }

  @Test
  void recoveryAlsoSeesWhatTheAdmissionThrows() {
    Admission refusing =
        new Admission() {
          @Override
          public boolean admits(Object key) {
            return false;
          }

          @Override
          public Object denied(Object key) throws Exception {
            throw new IOException("feature off");
          }
        };
    Recovery rethrowing =
        (guard, thrown) -> {
          throw new IllegalStateException("wrapped", thrown);
        };
    Guard guard = brownout.guard("page").admission(refusing).recovery(rethrowing).build();

    assertThatThrownBy(() -> guard.call(this::work))
        .isInstanceOf(IllegalStateException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(calls).hasValue(0);
  }

  @Test
  void asyncCallsGoThroughAdmissionAndRecoveryToo() {
    Switch feature = new Switch();
    Guard guard =
        brownout.guard("async").admission(feature).recovery((name, thrown) -> "recovered").build();

    assertThat(
            guard
                .callAsyncFor("k", () -> CompletableFuture.completedFuture("fresh"), null)
                .toCompletableFuture()
                .join())
        .isEqualTo("fresh");
    assertThat(feature.seen).containsExactly("k=fresh");
    assertThat(
            guard
                .callAsync(() -> CompletableFuture.<String>failedFuture(new IOException("down")))
                .toCompletableFuture()
                .join())
        .isEqualTo("recovered");
    feature.on = false;
    assertThat(
            guard
                .callAsyncFor("k", () -> CompletableFuture.completedFuture("fresh"), null)
                .toCompletableFuture()
                .join())
        .isEqualTo("degraded:k");
  }

  @Test
  void withoutRecoveryAnAsyncFailureReachesTheCaller() {
    Guard guard = brownout.guard("plain").build();

    assertThatThrownBy(
            () ->
                guard
                    .callAsync(
                        () -> CompletableFuture.<String>failedFuture(new IOException("down")))
                    .toCompletableFuture()
                    .join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IOException.class);
  }
}
