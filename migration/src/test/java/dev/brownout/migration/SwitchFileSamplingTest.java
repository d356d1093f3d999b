package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.degradation.Feature;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A switch file turns an experiment up, down and off, as it does any feature. */
class SwitchFileSamplingTest {

  private final TestRuntime runtime = new TestRuntime();

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void theSwitchFileSetsTheShareOfKeysCompared(@TempDir Path dir) throws Exception {
    Feature feature = runtime.feature(Priority.P4, Switch.off("not started"));
    AtomicInteger compared = new AtomicInteger();
    Experiment<String> experiment =
        Experiment.<String>builder(runtime.brownout, feature).onCallerThread().build();
    Path file = dir.resolve("features.properties");
    Files.writeString(file, feature.name() + " = ROLLOUT 100%\n");
    runtime.features.addSource(FileSwitchSource.of(file));
    runtime.features.refresh();

    assertThat(runKeys(experiment, compared)).isEqualTo(100);

    Files.writeString(file, feature.name() + " = ROLLOUT 20%\n");
    runtime.features.refresh();
    int expected = 0;
    for (long key = 0; key < 100; key++) {
      expected += feature.isEnabled(key) ? 1 : 0;
    }
    assertThat(runKeys(experiment, compared)).isEqualTo(expected).isBetween(5, 40);

    Files.writeString(file, feature.name() + " = OFF\n");
    runtime.features.refresh();
    assertThat(runKeys(experiment, compared)).isZero();
  }

  /** How many of 100 keys ran the candidate. */
  private static int runKeys(Experiment<String> experiment, AtomicInteger compared) {
    compared.set(0);
    for (long key = 0; key < 100; key++) {
      experiment.run(key, () -> "a", () -> "a" + compared.incrementAndGet());
    }
    return compared.get();
  }
}
