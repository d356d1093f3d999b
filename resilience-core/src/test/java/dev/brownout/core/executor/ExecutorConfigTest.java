package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExecutorConfigTest {

  static Stream<Arguments> invalidSettings() {
    return Stream.of(
        bad(
            "executor.maxRunning must be at least 1, but was 0",
            () -> ExecutorConfig.builder().maxRunning(0)),
        bad(
            "executor.maxQueued must be at least 0, but was -1",
            () -> ExecutorConfig.builder().maxQueued(-1)),
        bad(
            "executor.maxWait must be zero or a positive duration, but was PT-1S",
            () -> ExecutorConfig.builder().maxWait(Duration.ofSeconds(-1))),
        bad(
            "executor.partition.feed must be a percentage in (0, 100], but was 0.0",
            () -> ExecutorConfig.builder().partition("feed", 0)),
        bad(
            "executor.partition.feed must be a percentage in (0, 100], but was 120.0",
            () -> ExecutorConfig.builder().partition("feed", 120)),
        bad(
            "executor.partition must be a non-blank name, but was ' '",
            () -> ExecutorConfig.builder().partition(" ", 10)),
        bad(
            "executor.partition must be declared once, but was 'feed'",
            () -> ExecutorConfig.builder().partition("feed", 10).partition("feed", 20)),
        bad(
            "executor.partition must not be the name of the executor's own lane, but was 'shared'",
            () -> ExecutorConfig.builder().partition("shared", 10)),
        bad(
            "executor.threadFactory must not be null, but was null",
            () -> ExecutorConfig.builder().threadFactory(null)),
        bad(
            "executor.stuckThreshold must be a positive duration, but was PT0S",
            () -> ExecutorConfig.builder().stuckThreshold(Duration.ZERO)),
        bad(
            "executor.drainTimeout must be zero or a positive duration, but was null",
            () -> ExecutorConfig.builder().drainTimeout(null)),
        bad(
            "executor.name must be a non-blank name, but was ''",
            () -> BoundedExecutor.of("", ExecutorConfig.builder().build())),
        bad(
            "leakDetector.captureRate must be a ratio in [0, 1], but was 1.5",
            () -> LeakDetector.builder().captureRate(1.5)),
        bad(
            "deadline.timeout must be zero or a positive duration, but was PT-0.001S",
            () -> Deadline.after(Duration.ofMillis(-1))));
  }

  private static Arguments bad(String message, Executable build) {
    return Arguments.of(message, build);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSettings")
  void anInvalidSettingFailsWithItsNameAndValue(String message, Executable build) {
    assertThatThrownBy(build::execute)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aPartitionsShareIsRoundedDownButNeverBelowOneWorker() {
    ExecutorConfig config =
        ExecutorConfig.builder()
            .maxRunning(4)
            .maxQueued(0)
            .partition("tiny", 10)
            .partition("half", 50)
            .build();
    BoundedExecutor executor = BoundedExecutor.of("shares", config);
    try {
      assertThat(executor.partition("tiny").maxRunning()).isEqualTo(1);
      assertThat(executor.partition("tiny").maxQueued()).isZero();
      assertThat(executor.partition("half").maxRunning()).isEqualTo(2);
    } finally {
      executor.shutdown();
    }
  }

  @Test
  void equalSettingsMakeEqualConfigs() {
    assertThat(ExecutorConfig.builder().maxRunning(3).partition("a", 10).build())
        .isEqualTo(ExecutorConfig.builder().maxRunning(3).partition("a", 10).build())
        .isNotEqualTo(ExecutorConfig.builder().maxRunning(3).partition("a", 20).build());
  }
}
