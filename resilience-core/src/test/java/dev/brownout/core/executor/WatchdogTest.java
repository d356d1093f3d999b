package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.ManualTicker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@SuppressWarnings(
    "FutureReturnValueIgnored") // tasks held by gates: their futures are not what is tested
class WatchdogTest {

  private final ManualTicker ticker = new ManualTicker();
  private final List<String> reports = new CopyOnWriteArrayList<>();
  private BoundedExecutor executor;

  private Watchdog watchdog(boolean interrupt) {
    executor =
        BoundedExecutor.of(
            "watched",
            ExecutorConfig.builder()
                .maxRunning(2)
                .ticker(ticker)
                .stuckThreshold(Duration.ofSeconds(1))
                .interruptStuck(interrupt)
                .build());
    Watchdog watchdog = executor.dispatcher().watchdog();
    watchdog.reports = reports::add;
    return watchdog;
  }

  @AfterEach
  void stop() throws InterruptedException {
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTaskPastTheThresholdIsReportedOnceWithItsNameAgeAndStack() throws Exception {
    Watchdog watchdog = watchdog(false);
    Gate gate = new Gate();
    Future<String> task = executor.submit("slow-report", () -> gate.pass("done"));
    gate.awaitStarted();
    watchdog.check();
    assertThat(reports).isEmpty();

    ticker.advance(Duration.ofMillis(1500));
    watchdog.check();
    ticker.advance(Duration.ofSeconds(5));
    watchdog.check();

    assertThat(reports)
        .singleElement()
        .asString()
        .startsWith(
            "task 'slow-report' on executor 'watched' has run for 1500 ms (stuck threshold 1000 ms); worker 'brownout-watched-")
        .contains("dev.brownout.core.executor.Gate.pass(");
    assertThat(executor.stuck()).isEqualTo(1);
    gate.open();
    assertThat(task.get(10, TimeUnit.SECONDS)).isEqualTo("done");
  }

  @Test
  void aStuckTaskIsInterruptedWhenConfigured() throws Exception {
    Watchdog watchdog = watchdog(true);
    Gate gate = new Gate();
    Future<String> task = executor.submit("hung", () -> gate.pass("done"));
    gate.awaitStarted();
    ticker.advance(Duration.ofSeconds(2));
    watchdog.check();

    assertThat(task.isCancelled()).isTrue();
    assertThat(reports).singleElement().asString().contains("; interrupting it;");
    org.awaitility.Awaitility.await().until(() -> executor.running() == 0);
  }

  @Test
  void theWatchdogsOwnThreadFindsAStuckTask() throws Exception {
    watchdog(false);
    Gate gate = new Gate();
    executor.submit("found-by-timer", () -> gate.pass("done"));
    gate.awaitStarted();
    ticker.advance(Duration.ofSeconds(2));
    org.awaitility.Awaitility.await().until(() -> executor.stuck() == 1);
    gate.open();
  }
}
