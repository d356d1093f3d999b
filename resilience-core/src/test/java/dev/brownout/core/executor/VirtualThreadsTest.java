package dev.brownout.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

class VirtualThreadsTest {

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void virtualThreadsRunTasksAndPermitsBoundThem() throws Exception {
    BoundedExecutor executor =
        BoundedExecutor.of(
            "virtual",
            ExecutorConfig.builder()
                .maxRunning(3)
                .maxQueued(20)
                .threadFactory(ThreadFactories.virtual())
                .build());
    Gate gate = new Gate();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<Boolean>> tasks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tasks.add(
          executor.submit(
              "v" + i,
              () -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                  gate.pass("v");
                  return (Boolean)
                      Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
                } finally {
                  running.decrementAndGet();
                }
              }));
    }
    assertThat(executor.running()).isEqualTo(3);
    assertThat(executor.queued()).isEqualTo(17);
    gate.open();
    for (Future<Boolean> task : tasks) {
      assertThat(task.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(most.get()).isLessThanOrEqualTo(3);
    assertThat(executor.shutdown(Duration.ofSeconds(10)).clean()).isTrue();
    assertThat(executor.isTerminated()).isTrue();
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void askingForVirtualThreadsBeforeJdk21SaysWhatToDoInstead() {
    assertThat(ThreadFactories.virtualAvailable()).isFalse();
    assertThatThrownBy(ThreadFactories::virtual)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("virtual threads need JDK 21 or newer")
        .hasMessageContaining("ThreadFactories.platform");
  }
}
