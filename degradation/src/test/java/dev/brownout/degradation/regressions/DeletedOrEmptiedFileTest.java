package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 6: a deleted or emptied switch file turned every feature it had set back ON
 * with no error, and a rewrite in place let a reader apply a truncated file ({@code OFF by=bo}). A
 * missing or empty file after a good read is an error that keeps the last good state; only an
 * explicit empty content ({@code {}}, or a properties file of just its {@code # end} line) clears
 * it; and once a properties file has ended with {@code # end}, a file without that line is taken as
 * cut short.
 */
class DeletedOrEmptiedFileTest {

  @TempDir Path dir;

  private FileSourceRuntime runtime;

  private FileSourceRuntime start(String name, String text) throws Exception {
    runtime = new FileSourceRuntime(dir.resolve(name));
    runtime.replace(text);
    return runtime.start();
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aDeletedFileKeepsTheLastGoodStateAndIsReportedOnce() throws Exception {
    start("features.properties", "a = OFF by=alice\n");

    Files.delete(runtime.file);
    String log =
        LogCapture.during(
            () -> {
              runtime.features.refresh();
              runtime.features.refresh();
            });

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
    assertThat(log)
        .contains("file:" + runtime.file, "does not exist")
        .containsOnlyOnce("does not exist");
  }

  @Test
  void anEmptiedFileKeepsTheLastGoodState() throws Exception {
    start("features.properties", "a = OFF by=alice\n");

    runtime.rewriteInPlace("");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
  }

  @Test
  void aFileOfOnlyCommentsKeepsTheLastGoodState() throws Exception {
    start("features.properties", "# switches\na = OFF by=alice\n");

    runtime.rewriteInPlace("# switches\n");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
  }

  @Test
  void anEmptiedJsonFileKeepsTheLastGoodState() throws Exception {
    start("features.json", "{\"a\": \"OFF by=alice\"}");

    runtime.rewriteInPlace("  \n");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
  }

  @Test
  void anEmptyJsonObjectClearsTheSwitches() throws Exception {
    start("features.json", "{\"a\": \"OFF by=alice\"}");

    runtime.replace("{}");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isTrue();
    assertThat(runtime.errors()).isZero();
  }

  @Test
  void anEndLineAloneClearsTheSwitches() throws Exception {
    start("features.properties", "a = OFF by=alice\n");

    runtime.replace("# every switch cleared\n# end\n");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isTrue();
    assertThat(runtime.errors()).isZero();
  }

  @Test
  void aFileThatAppearsAgainIsAppliedAgain() throws Exception {
    start("features.properties", "a = OFF by=alice\n");
    Files.delete(runtime.file);
    runtime.features.refresh();

    runtime.replace("a = OFF by=alice\nb = OFF\n");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.enabled("b")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
  }

  @Test
  void onceAFileHasEndedWithItsEndLineAFileCutShortIsRejected() throws Exception {
    start("features.properties", "a = OFF by=alice\nb = OFF by=alice\n# end\n");

    runtime.rewriteInPlace("a = ON\nb = OFF by=bo");
    String log = LogCapture.during(runtime.features::refresh);

    assertThat(runtime.features.feature("b").state().setting().by()).isEqualTo("alice");
    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.errors()).isEqualTo(1.0);
    assertThat(log).contains("# end");

    runtime.rewriteInPlace("a = ON\nb = OFF by=bob\n# end\n");
    runtime.features.refresh();
    assertThat(runtime.enabled("a")).isTrue();
    assertThat(runtime.features.feature("b").state().setting().by()).isEqualTo("bob");
  }

  @Test
  void textAfterTheEndLineIsRejected() throws Exception {
    start("features.properties", "a = OFF by=alice\n# end\n");

    runtime.rewriteInPlace("a = ON\n# end\nb = OFF\n");
    runtime.features.refresh();

    assertThat(runtime.enabled("a")).isFalse();
    assertThat(runtime.features.snapshot()).doesNotContainKey("b");
    assertThat(runtime.errors()).isEqualTo(1.0);
  }
}
