package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, found while naming the parts of {@code Features}: a delivery that created several
 * features published each new feature on its own, so every feature it switched but the last was
 * audited twice, first as a change made by {@code default} and again by the source. A delivery is
 * one change: each feature it switches is audited once, by the source.
 */
class DeliveryOfNewFeaturesTest {

  @TempDir Path dir;

  @Test
  void eachFeatureADeliveryCreatesIsAuditedOnceBySource() throws Exception {
    Path file = dir.resolve("features.properties");
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      runtime.replace("a = OFF reason=first\nb = OFF reason=second\nc.d = ROLLOUT 10%\n");

      runtime.start();

      assertThat(runtime.features.history())
          .extracting(SwitchChange::feature, SwitchChange::to, SwitchChange::source)
          .containsExactly(
              tuple("a", "OFF", "file:" + file),
              tuple("b", "OFF", "file:" + file),
              tuple("c.d", "ROLLOUT 10%", "file:" + file));
      assertThat(runtime.features.feature("c.d").state().setting()).isEqualTo(Switch.rollout(10));
    }
  }
}
