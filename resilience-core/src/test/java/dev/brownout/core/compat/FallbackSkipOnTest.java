package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.compat.Hierarchy.Leaf;
import dev.brownout.core.compat.Hierarchy.Middle;
import dev.brownout.core.compat.Hierarchy.Root;
import dev.brownout.core.compat.Hierarchy.RootKin;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MicroProfile Fault Tolerance's fallback scenarios for an exception hierarchy (its TCK's {@code
 * FallbackExceptionHierarchyTest}), restated on the guard: a failure that {@code skipOn} covers
 * reaches the caller; otherwise one that {@code applyOn} covers gets the fallback; anything else
 * reaches the caller. Each scenario runs through {@code call} and {@code callAsync}.
 */
class FallbackSkipOnTest {

  private static final String FALLBACK = "fallback";

  private final Brownout brownout = Brownout.builder().build();
  private final Guard guard = brownout.guard("fallback").build();

  @AfterEach
  void close() {
    brownout.close();
  }

  static Fallback<String> answer() {
    return Fallback.of(failure -> FALLBACK);
  }

  @ParameterizedTest(name = "applyOn/skipOn {0}, {1}: answered {2}")
  @MethodSource("dev.brownout.core.compat.Hierarchy#scenarios")
  void skipWinsOverApplyOnEveryPath(Hierarchy.Lists lists, Throwable failure, boolean answered) {
    Fallback<String> fallback = answer().applyOn(lists.on()).skipOn(lists.overriddenOn());

    Object sync;
    try {
      sync =
          guard.call(
              () -> {
                throw Hierarchy.sneaky(failure);
              },
              fallback);
    } catch (Throwable thrown) {
      sync = thrown;
    }
    Supplier<CompletableFuture<String>> failing = () -> CompletableFuture.failedFuture(failure);
    Object async =
        guard
            .callAsync(failing, fallback)
            .toCompletableFuture()
            .handle((value, thrown) -> value != null ? value : unwrap(thrown))
            .join();

    Object expected = answered ? FALLBACK : failure;
    assertThat(sync).as("through call").isSameAs(expected);
    assertThat(async).as("through callAsync").isSameAs(expected);
  }

  @Test
  void withoutApplyOnEveryHandledFailureIsAnsweredButTheSkippedOnes() throws Exception {
    Fallback<String> fallback = answer().skipOn(Middle.class);

    assertThat(
            guard.call(
                () -> {
                  throw new Root();
                },
                fallback))
        .isEqualTo(FALLBACK);
    Leaf leaf = new Leaf();
    Object thrown;
    try {
      thrown =
          guard.call(
              () -> {
                throw leaf;
              },
              fallback);
    } catch (Leaf e) {
      thrown = e;
    }
    assertThat(thrown).isSameAs(leaf);
  }

  @Test
  void applyOnNarrowsButDoesNotWidenTheHandlersTypes() throws Exception {
    Fallback<String> fallback =
        Fallback.<String, Middle>on(Middle.class, failure -> FALLBACK).applyOn(Root.class);
    RootKin kin = new RootKin();

    Object thrown;
    try {
      thrown =
          guard.call(
              () -> {
                throw kin;
              },
              fallback);
    } catch (RootKin e) {
      thrown = e;
    }
    assertThat(thrown).isSameAs(kin);
    assertThat(
            guard.call(
                () -> {
                  throw new Leaf();
                },
                fallback))
        .isEqualTo(FALLBACK);
  }

  private static Throwable unwrap(Throwable thrown) {
    return thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
        ? thrown.getCause()
        : thrown;
  }
}
