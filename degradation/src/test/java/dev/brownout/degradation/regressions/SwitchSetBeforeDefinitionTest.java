package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, item 1: a switch delivered by a source, or set through the API, before its feature was
 * defined was overwritten for good by the definition's initial setting (default ON). An operator's
 * setting now wins over a definition's, whichever came first, and when the source withdraws it the
 * feature falls back to its definition's initial setting.
 */
class SwitchSetBeforeDefinitionTest {

  @TempDir Path dir;

  private final Brownout runtime =
      Brownout.builder()
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  private final Features features = Features.of(runtime);

  @AfterEach
  void close() {
    runtime.close();
  }

  private void write(Path file, String text) throws IOException {
    Path next = Files.createTempFile(dir, "next", ".tmp");
    Files.writeString(next, text);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aSwitchFromAFileSurvivesTheDefinitionOfItsFeature() throws IOException {
    Path file = dir.resolve("features.properties");
    write(file, "recommendations=OFF reason=maintenance\n");
    features.addSource(FileSwitchSource.of(file));
    assertThat(features.feature("recommendations").state().source()).isEqualTo("file:" + file);

    Feature recommendations = features.define("recommendations").priority(Priority.P3).register();
    features.refresh();

    assertThat(recommendations.isEnabled()).isFalse();
    assertThat(recommendations.state().setting()).isEqualTo(Switch.off("maintenance"));
    assertThat(recommendations.state().source()).isEqualTo("file:" + file);
  }

  @Test
  void aSwitchSetThroughTheApiSurvivesTheDefinitionOfItsFeature() {
    features.set("recommendations", Switch.off("maintenance").by("alice"), "admin");

    Feature recommendations =
        features
            .define("recommendations")
            .priority(Priority.P3)
            .initially(Switch.rollout(50))
            .register();

    assertThat(recommendations.isEnabled()).isFalse();
    assertThat(recommendations.state().source()).isEqualTo("admin");
  }

  @Test
  void aWithdrawnSwitchFallsBackToTheDefinitionsInitialSettingAndTheAuditSaysSo()
      throws IOException {
    Path file = dir.resolve("features.properties");
    write(file, "recommendations=OFF reason=maintenance\n");
    features.addSource(FileSwitchSource.of(file));
    Feature recommendations =
        features.define("recommendations").initially(Switch.rollout(50)).register();

    write(file, "# maintenance over\n# end\n");
    features.refresh();

    assertThat(recommendations.state().setting()).isEqualTo(Switch.rollout(50));
    assertThat(recommendations.state().source()).isEqualTo("default");
    SwitchChange last = features.history().get(features.history().size() - 1);
    assertThat(last.source()).isEqualTo("file:" + file);
    assertThat(last.from()).isEqualTo("OFF");
    assertThat(last.to()).isEqualTo("ROLLOUT 50%");
    assertThat(last.cause())
        .isEqualTo("removed from file:" + file + "; back to its initial setting ROLLOUT 50%");
  }

  @Test
  void withNoOperatorSettingTheDefinitionsInitialSettingApplies() {
    features.feature("recommendations");

    Feature recommendations =
        features.define("recommendations").initially(Switch.off("dark launch")).register();

    assertThat(recommendations.isEnabled()).isFalse();
    assertThat(recommendations.state().source()).isEqualTo("default");
  }
}
