package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, switch-file finding 2: a file named {@code features.JSON} was read as a properties
 * file, so a valid JSON file was an error. The extension is compared without regard to case.
 */
class UpperCaseJsonExtensionTest {

  @TempDir Path dir;

  @Test
  void anUpperCaseJsonExtensionIsReadAsJson() throws Exception {
    try (FileSourceRuntime runtime = new FileSourceRuntime(dir.resolve("features.JSON"))) {
      runtime.replace("{\"feed.avatars\": \"OFF by=alice\"}");

      runtime.start();

      assertThat(runtime.enabled("feed.avatars")).isFalse();
      assertThat(runtime.errors()).isZero();
    }
  }
}
