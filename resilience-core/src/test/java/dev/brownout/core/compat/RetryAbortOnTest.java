package dev.brownout.core.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MicroProfile Fault Tolerance's retry scenarios for an exception hierarchy (its TCK's {@code
 * RetryExceptionHierarchyTest}), restated on the guard: a failure that {@code abortOn} covers is
 * never retried; otherwise one that {@code retryOn} covers is; anything else, and every {@link
 * Error}, is not. Each scenario runs through {@code call} and {@code callAsync}.
 */
class RetryAbortOnTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @ParameterizedTest(name = "retryOn/abortOn {0}, {1}: retried {2}")
  @MethodSource("dev.brownout.core.compat.Hierarchy#scenarios")
  void abortWinsOverRetryOnEveryPath(Hierarchy.Lists lists, Throwable failure, boolean retried) {
    RetryConfig retry =
        RetryConfig.builder()
            .maxAttempts(2)
            .backoff(Backoff.fixed(Duration.ZERO))
            .budget(1.0, 1_000)
            .retryOn(lists.on())
            .abortOn(lists.overriddenOn())
            .build();
    String config = lists.name();
    Guard sync = brownout.guard(config + "-sync").retry(retry).build();
    Guard async = brownout.guard(config + "-async").retry(retry).build();
    AtomicInteger syncCalls = new AtomicInteger();
    AtomicInteger asyncCalls = new AtomicInteger();

    try {
      sync.call(
          () -> {
            syncCalls.incrementAndGet();
            throw Hierarchy.sneaky(failure);
          });
    } catch (Throwable expected) {
      assertThat(expected).isSameAs(failure);
    }
    Supplier<CompletableFuture<Object>> failing =
        () -> {
          asyncCalls.incrementAndGet();
          return CompletableFuture.failedFuture(failure);
        };
    async.callAsync(failing).toCompletableFuture().handle((value, thrown) -> thrown).join();

    int expected = retried ? 2 : 1;
    assertThat(syncCalls).as("attempts through call").hasValue(expected);
    assertThat(asyncCalls).as("attempts through callAsync").hasValue(expected);
  }
}
