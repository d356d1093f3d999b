package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 7: a switch file unreadable from the start was never reported, and one
 * unreadable after a good read logged a full stack trace on every refresh. It is reported once,
 * then once for each change of cause, and once more when it can be read again.
 */
class UnreadableFileTest {

  @TempDir Path dir;

  @Test
  void aFileUnreadableFromTheStartIsReportedOnce() throws Exception {
    Path file = dir.resolve("features.properties");
    Files.createDirectory(file);
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      String log =
          LogCapture.during(
              () -> {
                runtime.start();
                runtime.features.refresh();
                runtime.features.refresh();
              });

      assertThat(runtime.errors()).isEqualTo(1.0);
      assertThat(log).containsOnlyOnce("file:" + file).doesNotContain("\tat ");
    }
  }

  @Test
  void eachChangeOfCauseIsReportedOnceWithoutAStackTrace() throws Exception {
    Path file = dir.resolve("features.properties");
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      runtime.replace("a = OFF\n");
      runtime.start();

      Files.delete(file);
      Files.createDirectory(file);
      String unreadable =
          LogCapture.during(
              () -> {
                runtime.features.refresh();
                runtime.features.refresh();
              });
      assertThat(runtime.errors()).isEqualTo(1.0);

      Files.delete(file);
      Files.createSymbolicLink(file, Path.of("/dev/zero"));
      String otherCause =
          LogCapture.during(
              () -> {
                runtime.features.refresh();
                runtime.features.refresh();
              });
      assertThat(runtime.errors()).isEqualTo(2.0);

      Files.delete(file);
      runtime.replace("a = OFF\n");
      String recovered = LogCapture.during(runtime.features::refresh);

      assertThat(runtime.enabled("a")).isFalse();
      assertThat(runtime.errors()).isEqualTo(2.0);
      assertThat(unreadable).containsOnlyOnce("file:" + file).doesNotContain("\tat ");
      assertThat(otherCause).containsOnlyOnce("file:" + file).doesNotContain("\tat ");
      assertThat(recovered).containsOnlyOnce("file:" + file).contains("read again");
    }
  }

  @Test
  void aCauseThatReturnsAfterTheFileWasGoneIsReportedAgain() throws Exception {
    Path file = dir.resolve("features.properties");
    Files.createDirectory(file);
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      runtime.start();
      Files.delete(file);
      runtime.features.refresh();

      Files.createDirectory(file);
      runtime.features.refresh();

      assertThat(runtime.errors()).isEqualTo(2.0);
    }
  }
}
