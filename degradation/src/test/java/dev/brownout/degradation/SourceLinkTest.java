package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SourceLinkTest {

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;
  private final ExecutorService reads = Executors.newCachedThreadPool();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile SwitchSink sink;
  private volatile boolean blockPolls;

  /** A source that keeps its sink for the test, and whose polls can be made to block. */
  private final SwitchSource source =
      new SwitchSource() {
        @Override
        public String name() {
          return "store";
        }

        @Override
        public void start(SwitchSink target) {
          sink = target;
        }

        @Override
        public void poll() throws InterruptedException {
          if (blockPolls) {
            release.await();
          }
        }
      };

  private final SourceLink link =
      new SourceLink(source, features, reads, Duration.ofSeconds(10).toNanos());

  @AfterEach
  void close() {
    release.countDown();
    reads.shutdownNow();
    runtime.close();
  }

  private SourceLink started() {
    link.start();
    link.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    return link;
  }

  @Test
  void aCompleteStateAppliesWhatChangedAndWithdrawsWhatItNoLongerNames() {
    started();
    sink.replaceAll(Map.of("a", Switch.off("x"), "b", Switch.off("y")));

    sink.replaceAll(Map.of("a", Switch.off("x")));

    assertThat(features.history())
        .extracting(SwitchChange::feature, SwitchChange::to, SwitchChange::cause)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a", "OFF", "switched off: x"),
            org.assertj.core.groups.Tuple.tuple("b", "OFF", "switched off: y"),
            org.assertj.core.groups.Tuple.tuple(
                "b", "ON", "removed from store; back to ON (nothing else sets it)"));
  }

  @Test
  void aDeliveryWithABadNameAppliesNothing() {
    started();
    Map<String, Switch> delivery = new LinkedHashMap<>();
    delivery.put("good", Switch.off("x"));
    delivery.put("Bad Name", Switch.off("y"));

    assertThatThrownBy(() -> sink.replaceAll(delivery)).hasMessageContaining("Bad Name");

    assertThat(features.snapshot()).doesNotContainKey("good");
  }

  @Test
  void aReadStillRunningIsNotStartedAgain() {
    started();
    blockPolls = true;

    assertThat(link.poll()).isTrue();
    assertThat(link.poll()).as("the first poll still runs").isFalse();

    release.countDown();
    link.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
    assertThat(link.poll()).isTrue();
  }

  @Test
  void aReadThatOverrunsTheTimeoutIsCountedOnce() {
    started();
    blockPolls = true;
    link.poll();

    link.reportIfLate(System.nanoTime() + Duration.ofSeconds(11).toNanos());
    link.reportIfLate(System.nanoTime() + Duration.ofSeconds(12).toNanos());

    assertThat(
            runtime
                .registry
                .get("brownout.switch.source.errors")
                .tag("source", "store")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
  }
}
