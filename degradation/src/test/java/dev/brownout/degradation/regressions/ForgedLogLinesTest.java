package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 8: CR/LF in a {@code setLevel} reason forged log lines; ESC, NEL and U+2028 in
 * a switch's reason or author reached the log raw; and a 50 MB one-line switch file produced a 52
 * MB log line. Every text a feature, a switch or a source puts in a log line is neutralised and
 * bounded.
 */
class ForgedLogLinesTest {

  /**
   * What a log must never hold raw: line breaks, escapes that drive a terminal, direction
   * overrides.
   */
  private static final String HOSTILE =
      "\r\nFORGED\u001b[2J\u0085FORGED\u2028FORGED\u2029\u202eFORGED\u2066\u0000\u007f\u009b";

  /** What a switch's reason or author may hold (one line, but not free of controls). */
  private static final String ONE_LINE_HOSTILE =
      "\u001b[2J\u0085FORGED\u2028FORGED\u2029\u202eFORGED\u2066\u009b";

  @TempDir Path dir;

  private FileSourceRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private FileSourceRuntime runtime() {
    runtime = new FileSourceRuntime(dir.resolve("features.json"));
    return runtime;
  }

  private static void assertNeutral(String log) {
    assertThat(log).isNotEmpty();
    assertThat(log.lines()).noneMatch(line -> line.startsWith("FORGED"));
    assertThat(
            log.chars()
                .filter(
                    c ->
                        c != '\n'
                            && c != '\t'
                            && (Character.isISOControl(c)
                                || c == 0x2028
                                || c == 0x2029
                                || (c >= 0x202a && c <= 0x202e)
                                || (c >= 0x2066 && c <= 0x2069))))
        .as("control, separator and direction characters in %s", log)
        .isEmpty();
  }

  @Test
  void aLevelReasonCannotForgeALine() throws Exception {
    FileSourceRuntime runtime = runtime();

    String log = LogCapture.during(() -> runtime.features.setLevel(2, "Black Friday" + HOSTILE));

    assertNeutral(log);
    assertThat(log).contains("Black Friday\\r\\nFORGED");
  }

  @Test
  void aSwitchReasonAndAuthorCannotForgeALine() throws Exception {
    FileSourceRuntime runtime = runtime();

    String log =
        LogCapture.during(
            () ->
                runtime.features.set(
                    "feed",
                    Switch.off("down" + ONE_LINE_HOSTILE)
                        .by("alice\u001b[2J\u0085FORGED\u202e\u009b")));

    assertNeutral(log);
  }

  @Test
  void aSwitchFromAFileCannotForgeALine() throws Exception {
    FileSourceRuntime runtime = runtime();
    runtime.replace(
        "{\"feed\": \"OFF by=alice\\u0085FORGED reason=down\\u001b[2J\\u2028FORGED\\u202e\"}");

    String log = LogCapture.during(runtime::start);

    assertNeutral(log);
    assertThat(runtime.enabled("feed")).isFalse();
  }

  @Test
  void aHugeOneLineFileMakesABoundedLogLine() throws Exception {
    FileSourceRuntime runtime = runtime();
    runtime.replace(
        "{\"feed\": \"OFF reason="
            + "x".repeat(900_000)
            + "\u2028FORGED\", \"bad\": \"DIMMED "
            + "y".repeat(90_000)
            + "\"}");

    String log = LogCapture.during(runtime::start);

    assertNeutral(log);
    assertThat(log.lines()).allMatch(line -> line.length() < 4096, "every line under 4 KiB");
  }

  @Test
  void aSourceProblemAndItsCauseCannotForgeALine() throws Exception {
    FileSourceRuntime runtime = runtime();
    SwitchSource hostile =
        new SwitchSource() {
          @Override
          public String name() {
            return "hostile" + HOSTILE;
          }

          @Override
          public void start(SwitchSink sink) {
            sink.failed(
                "cannot reach" + HOSTILE,
                new IOException(
                    "refused" + HOSTILE, new IllegalStateException("deeper" + HOSTILE)));
            sink.replaceAll(Map.of());
          }

          @Override
          public void poll() throws IOException {
            throw new IOException("poll" + HOSTILE);
          }
        };

    String log =
        LogCapture.during(
            () -> {
              runtime.features.addSource(hostile);
              runtime.features.refresh();
            });

    assertNeutral(log);
    assertThat(log)
        .contains(
            "cannot reach\\r\\nFORGED",
            "refused\\r\\nFORGED",
            "deeper\\r\\nFORGED",
            "poll\\r\\nFORGED");
  }
}
