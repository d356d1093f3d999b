package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuardRecoveryTest {

  private final CapturingLog log = new CapturingLog();
  private final Recover recover = Recover.builder().log(log).build();
  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aGuardedCallThatCrashesRecoversIntoTheFallbackForItsIncident() throws Exception {
    Guard profile =
        brownout.guard("profile").recovery(recover.policy(incident -> "anonymous")).build();

    String shown =
        profile.call(
            () -> {
              throw new IllegalStateException("profile service bug");
            });

    assertThat(shown).isEqualTo("anonymous");
    assertThat(log.incidents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.incident().place()).isEqualTo("profile");
              assertThat(e.incident().throwableClass())
                  .isEqualTo("java.lang.IllegalStateException");
            });
  }

  @Test
  void aPolicyWithItsOwnPlaceRecordsIncidentsThereInsteadOfAtTheGuardName() throws Exception {
    Guard profile =
        brownout
            .guard("profile")
            .recovery(recover.policy("GET /profile", incident -> "anonymous"))
            .build();

    String shown =
        profile.call(
            () -> {
              throw new IllegalStateException("profile service bug");
            });

    assertThat(shown).isEqualTo("anonymous");
    assertThat(log.incidents())
        .singleElement()
        .satisfies(e -> assertThat(e.incident().place()).isEqualTo("GET /profile"));
  }

  @Test
  void aBlankPlaceIsRefusedByName() {
    assertThatThrownBy(() -> recover.policy(" ", incident -> "anonymous"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recover.policy.place must be a non-blank name, but was ' '");
  }

  @Test
  void aStackOverflowInsideAGuardedCallIsRecoveredToo() throws Exception {
    Guard parse = brownout.guard("parse").recovery(recover.policy(incident -> -1)).build();

    int depth = parse.call(() -> Crashes.recurse(0));

    assertThat(depth).isEqualTo(-1);
    assertThat(log.incidents())
        .singleElement()
        .satisfies(e -> assertThat(e.thrown()).isInstanceOf(StackOverflowError.class));
  }

  @Test
  void healthyCallsPassUntouched() throws Exception {
    Guard profile =
        brownout.guard("profile").recovery(recover.policy(incident -> "anonymous")).build();

    assertThat(profile.call(() -> "ada")).isEqualTo("ada");
    assertThat(log.incidents()).isEmpty();
  }

  @Test
  void rejectionsAreTheGuardWorkingAndPassThroughUnrecorded() {
    Guard payments =
        brownout
            .guard("payments")
            .circuitBreaker(CircuitBreakerConfig.ofDefaults())
            .recovery(recover.policy(incident -> "recovered"))
            .build();
    payments.circuitBreaker().orElseThrow().forceOpen();

    assertThatThrownBy(() -> payments.call(() -> "charged"))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(log.incidents()).isEmpty();
  }

  @Test
  void fatalErrorsEscapeTheGuardOnceLogged() {
    OutOfMemoryError oom = new OutOfMemoryError();
    Guard load = brownout.guard("load").recovery(recover.policy(incident -> "recovered")).build();

    assertThatThrownBy(
            () ->
                load.call(
                    () -> {
                      throw oom;
                    }))
        .isSameAs(oom);
    assertThat(log.incidents()).hasSize(1);
  }

  @Test
  void anAsynchronousCallThatFailsRecoversIntoTheFallback() throws Exception {
    Guard feed = brownout.guard("feed").recovery(recover.policy(incident -> "empty feed")).build();

    String shown =
        feed.<String>callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("feed bug")))
            .toCompletableFuture()
            .get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);

    assertThat(shown).isEqualTo("empty feed");
    assertThat(log.incidents()).hasSize(1);
  }

  @Test
  void theRuntimesRecoveryCoreCanBeTheGuardsPolicy() throws Exception {
    Guard search =
        brownout
            .guard("search")
            .recovery(Recover.of(brownout).policy(incident -> "no results"))
            .build();

    String shown =
        search.call(
            () -> {
              throw new IllegalStateException("index corrupt");
            });

    assertThat(shown).isEqualTo("no results");
  }
}
