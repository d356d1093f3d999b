package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** IDEs complete the keys from the metadata the configuration processor merges into the jar. */
class ConfigurationMetadataTest {

  @Test
  void theMetadataListsTheFixedAndTheDynamicKeys() throws IOException {
    String metadata = read("META-INF/spring-configuration-metadata.json");

    assertThat(metadata)
        .contains("\"brownout.recover.filter.enabled\"")
        .contains("\"brownout.guarded-beans.enabled\"")
        .contains("\"brownout.health.readiness.enabled\"")
        .contains("\"brownout.config.check-on-startup\"")
        .contains("\"brownout.admin.enabled\"")
        .contains("\"brownout.admin.token\"")
        .contains("\"brownout.admin.allow-remote-clients\"")
        .contains("\"brownout.guard\"")
        .contains("\"brownout.features\"");
  }

  private static String read(String resource) throws IOException {
    try (InputStream in =
        ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
