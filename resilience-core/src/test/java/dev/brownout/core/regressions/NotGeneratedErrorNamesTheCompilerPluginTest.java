package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 2: with no compiler-plugin version, Maven 3.8 picks maven-compiler-plugin 3.1,
 * which ignores {@code <annotationProcessorPaths>}; the build succeeds, nothing is generated, and
 * {@code brownout.wrap} then told the user to add the processor there, which they had done. The
 * error now names that likely cause and the plugin version to use.
 */
class NotGeneratedErrorNamesTheCompilerPluginTest {

  @Test
  void theErrorNamesTheCompilerPluginVersionThatHonoursTheProcessorPath() {
    try (Brownout brownout = Brownout.builder().build()) {
      assertThatThrownBy(() -> brownout.wrap(Runnable.class, () -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "no guarded class java.lang.Guarded_Runnable was generated for java.lang.Runnable")
          .hasMessageContaining("maven-compiler-plugin 3.13.0 or newer")
          .hasMessageContaining(
              "older plugins (Maven 3.8 picks 3.1 when the pom names none) ignore <annotationProcessorPaths>")
          .hasMessageContaining("Gradle: annotationProcessor");
    }
  }
}
