package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 5: one source could stop all refresh work. A switch file that became a FIFO
 * blocked the read, and a source that threw an {@link Error} (a symlink to {@code /dev/zero} gave
 * an {@code OutOfMemoryError}) ended every refresh: expiries, AUTO triggers, the level controller
 * and the other sources halted, and nothing was counted. Each source is now read on its own thread
 * with a time bound, apart from the evaluation, and an {@code Error} from a source is contained and
 * counted. A file source no longer opens a FIFO at all, so the blocking read is played here by a
 * source whose read waits until the test lets it go.
 */
class BlockedSourceTest {

  @TempDir Path dir;

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Blocking blocking = new Blocking();
  private Brownout runtime;

  private Features features(String refresh) {
    Map<String, String> config = new HashMap<>();
    config.put("brownout.features.refresh", refresh);
    config.put("brownout.features.sourceTimeout", "100ms");
    runtime =
        Brownout.builder()
            .ticker(nanos::get)
            .meterRegistry(registry)
            .config(ConfigSource.of(config, "test"))
            .build();
    return Features.of(runtime);
  }

  @AfterEach
  void close() {
    blocking.release.countDown(); // lets a read still blocked end
    runtime.close();
  }

  private double errors(String source) {
    FunctionCounter counter =
        registry.find("brownout.switch.source.errors").tag("source", source).functionCounter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * A source whose polls block until {@link #release} opens, then deliver {@code blocked = ROLLOUT
   * 20%}.
   */
  private static final class Blocking implements SwitchSource {
    final CountDownLatch release = new CountDownLatch(1);
    private volatile SwitchSink sink;

    @Override
    public String name() {
      return "blocking";
    }

    @Override
    public void start(SwitchSink sink) {
      this.sink = sink;
      sink.replaceAll(Map.of("blocked", Switch.parse("OFF reason=before")));
    }

    @Override
    public void poll() throws InterruptedException {
      release.await();
      sink.replaceAll(Map.of("blocked", Switch.parse("ROLLOUT 20%")));
    }
  }

  @Test
  void aSourceWhoseReadBlocksHoldsBackNeitherExpiriesNorOtherSources() throws Exception {
    Features features = features("0");
    features.addSource(blocking);
    Path other = dir.resolve("other.properties");
    Files.writeString(other, "other = OFF reason=first\n");
    features.addSource(FileSwitchSource.of(other));
    Feature expiring = features.feature("expiring");
    features.set("expiring", Switch.off("failover").lasting(Duration.ofMinutes(1)));

    Files.writeString(other, "other = ROLLOUT 10%\n");
    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    features.refresh();

    assertThat(expiring.isEnabled()).as("expired while the read blocks").isTrue();
    assertThat(features.feature("other").state().effective()).isEqualTo("ROLLOUT 10%");
    assertThat(errors("blocking")).as("the blocked read is counted").isEqualTo(1.0);

    features.refresh();
    assertThat(errors("blocking")).as("once per blocked read, not per refresh").isEqualTo(1.0);

    blocking.release.countDown();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> features.feature("blocked").state().effective().equals("ROLLOUT 20%"));
  }

  @Test
  void theRefreshThreadGoesOnWhileASourcesReadBlocks() {
    Features features = features("20ms");
    features.addSource(blocking);
    Feature expiring = features.feature("expiring");
    features.set("expiring", Switch.off("failover").lasting(Duration.ofMinutes(1)));

    nanos.addAndGet(Duration.ofMinutes(2).toNanos());

    await().atMost(Duration.ofSeconds(10)).until(expiring::isEnabled);
    await().atMost(Duration.ofSeconds(10)).until(() -> errors("blocking") == 1.0);
  }

  @Test
  void aSwitchFileThatBecomesAFifoIsNotOpenedAndKeepsItsLastGoodState() throws Exception {
    Features features = features("0");
    Path file = dir.resolve("blocked.properties");
    Files.writeString(file, "blocked = OFF reason=before\n");
    features.addSource(FileSwitchSource.of(file));
    Files.delete(file);
    Process mkfifo = new ProcessBuilder("mkfifo", file.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    features.refresh();
    features.refresh();

    assertThat(features.feature("blocked").isEnabled()).isFalse();
    assertThat(errors("file:" + file)).as("reported once").isEqualTo(1.0);
  }

  /** A source whose every read fails with an Error, as reading /dev/zero into memory does. */
  private static final class Exhausting implements SwitchSource {
    int polls;

    @Override
    public String name() {
      return "exhausting";
    }

    @Override
    public void start(SwitchSink sink) {
      throw new OutOfMemoryError("Required array size too large");
    }

    @Override
    public void poll() {
      polls++;
      throw new OutOfMemoryError("Required array size too large");
    }
  }

  @Test
  void anErrorFromASourceIsContainedAndCountedAndTheRefreshGoesOn() {
    Features features = features("0");
    Exhausting exhausting = new Exhausting();
    features.addSource(exhausting);
    assertThat(errors("exhausting")).as("its start").isEqualTo(1.0);
    Feature expiring = features.feature("expiring");
    features.set("expiring", Switch.off("failover").lasting(Duration.ofMinutes(1)));

    nanos.addAndGet(Duration.ofMinutes(2).toNanos());
    features.refresh();
    features.refresh();

    assertThat(expiring.isEnabled()).isTrue();
    assertThat(exhausting.polls).isEqualTo(2);
    assertThat(errors("exhausting")).isEqualTo(3.0);
  }
}
