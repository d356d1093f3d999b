package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.Guard;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 3: after {@code Brownout.close()}, {@code callAsync} on a guard with a timeout
 * threw instead of failing its stage, and kept its bulkhead permit forever. Every call on a closed
 * runtime now fails the same way, sync or async, with or without a timeout, holding nothing.
 */
class ClosedRuntimeTest {

  private final Brownout brownout = Brownout.builder().build();
  private final BulkheadConfig onePermit = BulkheadConfig.builder().maxConcurrentCalls(1).build();
  private final Guard timed =
      brownout.guard("timed").bulkhead(onePermit).timeout(Duration.ofSeconds(1)).build();
  private final Guard plain = brownout.guard("plain").bulkhead(onePermit).build();

  @Test
  void everyCallOnAClosedRuntimeFailsTheSameWay() {
    brownout.close();
    for (Guard guard : new Guard[] {timed, plain}) {
      assertThatThrownBy(() -> guard.call(() -> "value"))
          .satisfies(ClosedRuntimeTest::isClosedFailure);
      assertThatThrownBy(() -> guard.get(() -> "value"))
          .satisfies(ClosedRuntimeTest::isClosedFailure);
      assertThatThrownBy(() -> guard.run(() -> {})).satisfies(ClosedRuntimeTest::isClosedFailure);
      CompletionStage<String> stage =
          guard.callAsync(() -> CompletableFuture.completedFuture("value"));
      assertThatThrownBy(() -> stage.toCompletableFuture().join())
          .isInstanceOf(CompletionException.class)
          .cause()
          .satisfies(ClosedRuntimeTest::isClosedFailure);
      assertThat(guard.bulkhead().orElseThrow().availablePermits()).as(guard.name()).isEqualTo(1);
    }
  }

  private static void isClosedFailure(Throwable failure) {
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
