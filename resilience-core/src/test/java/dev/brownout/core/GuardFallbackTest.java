package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a guard falls back: the fallback sees the failure that ended the call (the last one once
 * retries are spent), and typed handlers are tried in order while an unhandled failure propagates.
 */
class GuardFallbackTest extends GuardFixture {

  @Test
  void theFallbackSeesTheLastFailureOnceRetriesAreSpent() throws Exception {
    Guard guard = brownout.guard("retried").retry(noWaitRetry(3).build()).build();
    List<String> seen = new ArrayList<>();

    String value =
        guard.call(
            () -> {
              int n = attempts.incrementAndGet();
              throw new IOException("attempt " + n);
            },
            Fallback.on(
                IOException.class,
                e -> {
                  seen.add(e.getMessage());
                  return "fallback";
                }));

    assertThat(value).isEqualTo("fallback");
    assertThat(attempts).hasValue(3);
    assertThat(seen).containsExactly("attempt 3");
  }

  @Test
  void fallbackHandlersAreTriedInOrderAndUnhandledFailuresPropagate() throws Exception {
    Guard guard = brownout.guard("typed").build();
    Fallback<String> fallback =
        Fallback.<String, IOException>on(IOException.class, e -> "io")
            .orOn(RuntimeException.class, e -> "runtime");

    assertThat(guard.call(this::failing, fallback)).isEqualTo("io");
    assertThat(
            guard.call(
                () -> {
                  throw new IllegalStateException();
                },
                fallback))
        .isEqualTo("runtime");
    assertThatThrownBy(
            () ->
                guard.call(
                    () -> {
                      throw new Exception("plain");
                    },
                    fallback))
        .isInstanceOf(Exception.class)
        .hasMessage("plain");
  }
}
