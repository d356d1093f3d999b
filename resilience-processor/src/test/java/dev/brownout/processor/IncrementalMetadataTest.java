package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Gradle finds the processor's incremental category where it looks, under the processor's class
 * name.
 */
class IncrementalMetadataTest {

  @Test
  void theProcessorIsDeclaredIsolating() throws Exception {
    try (InputStream metadata =
        GuardProcessor.class.getResourceAsStream(
            "/META-INF/gradle/incremental.annotation.processors")) {
      assertThat(metadata).isNotNull();
      assertThat(new String(metadata.readAllBytes(), StandardCharsets.UTF_8).strip())
          .isEqualTo(GuardProcessor.class.getName() + ",isolating");
    }
  }
}
