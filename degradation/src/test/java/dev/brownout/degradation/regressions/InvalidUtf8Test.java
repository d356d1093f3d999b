package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, switch-file finding 4 (found while making the readers strict): bytes that are not UTF-8
 * were silently replaced with U+FFFD, so a reason written in Latin-1 was applied garbled and nobody
 * was told. A switch file that is not UTF-8 is an error naming the byte, and the last good state
 * stays.
 */
class InvalidUtf8Test {

  @TempDir Path dir;

  @Test
  void aFileThatIsNotUtf8IsRefusedNamingTheByte() throws Exception {
    try (FileSourceRuntime runtime = new FileSourceRuntime(dir.resolve("features.properties"))) {
      runtime.replace("a = OFF reason=first\n");
      runtime.start();
      byte[] latin1 =
          "a = OFF reason=caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      Files.write(runtime.file, latin1);

      String log = LogCapture.during(runtime.features::refresh);

      assertThat(runtime.features.feature("a").state().setting().reason()).isEqualTo("first");
      assertThat(runtime.errors()).isEqualTo(1.0);
      assertThat(log).contains("not UTF-8", "byte 19");
    }
  }
}
