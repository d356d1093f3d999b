package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The call methods themselves ({@code call}, {@code get}, {@code run}, {@code callWith}, {@code
 * callAsync}) with no policy in the way: what reaches the call and what reaches the caller.
 */
class GuardCallTest extends GuardFixture {

  @Test
  void checkedExceptionsPassThroughUnchangedAndGetWrapsNothingUnchecked() {
    Guard guard = brownout.guard("plain").build();

    assertThatThrownBy(() -> guard.call(this::failing))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("down");
    assertThatThrownBy(
            () ->
                guard.get(
                    () -> {
                      throw new IllegalStateException("x");
                    }))
        .isExactlyInstanceOf(IllegalStateException.class);
    assertThat(guard.get(() -> "value")).isEqualTo("value");
  }

  @Test
  void runRunsTheTask() throws Exception {
    Guard guard = brownout.guard("runnable").build();

    guard.run(attempts::incrementAndGet);

    assertThat(attempts).hasValue(1);
  }

  @Test
  void callWithHandsTheKeyToTheCallAndToAKeyedFallback() throws Exception {
    Guard guard = brownout.guard("keyed").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    Guard.KeyedCall<String, String> upper = key -> key.toUpperCase(java.util.Locale.ROOT);

    assertThat(guard.callWith("tea", upper)).isEqualTo("TEA");
    assertThat(
            guard.<String, String>callWith(
                "tea",
                key -> {
                  throw new IOException("down for " + key);
                },
                Fallback.onKeyed(IOException.class, (key, e) -> key + ": " + e.getMessage())))
        .isEqualTo("tea: down for tea");
    assertThat(guard.counts().success()).isEqualTo(1);
    assertThat(guard.counts().fallback()).isEqualTo(1);
  }

  @Test
  void anAsyncSupplierThatThrowsIsAFailureNotACrash() {
    Guard guard = brownout.guard("async-throws").build();

    CompletableFuture<String> result =
        guard
            .<String>callAsync(
                () -> {
                  throw new IllegalStateException("before the stage");
                })
            .toCompletableFuture();

    assertThatThrownBy(result::join).hasCauseInstanceOf(IllegalStateException.class);
  }
}
