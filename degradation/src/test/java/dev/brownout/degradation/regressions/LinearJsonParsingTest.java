package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.SwitchFileParsing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 4: the JSON switch-file parser rescanned the text from its start to find the
 * line of every entry (16k entries took 1.4 s; a 1.1 MB file stalled the refresh thread over 8 s),
 * and a file of any size was read whole. Parsing visits each character a bounded number of times,
 * and a file over the size limit is refused after reading one byte more than the limit.
 */
class LinearJsonParsingTest {

  @TempDir Path dir;

  /** A text that counts how many times the parser looks at one of its characters. */
  private static final class CountingText implements CharSequence {
    private final String text;
    long visits;

    CountingText(String text) {
      this.text = text;
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public char charAt(int index) {
      visits++;
      return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      visits += end - start;
      return text.subSequence(start, end);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private static String entries(int count) {
    StringBuilder json = new StringBuilder("{\n");
    for (int i = 0; i < count; i++) {
      json.append("  \"f")
          .append(i)
          .append("\": \"OFF by=ops reason=entry ")
          .append(i)
          .append("\"")
          .append(i + 1 < count ? ",\n" : "\n");
    }
    return json.append("}\n").toString();
  }

  @Test
  void parsingVisitsEachCharacterABoundedNumberOfTimes() {
    for (int count : new int[] {100, 1_000, 10_000}) {
      CountingText text = new CountingText(entries(count));

      assertThat(SwitchFileParsing.json(text)).hasSize(count);

      assertThat(text.visits)
          .as("%d entries, %d characters", count, text.length())
          .isLessThanOrEqualTo(3L * text.length());
    }
  }

  @Test
  void anErrorNamesTheLineWithoutRescanning() {
    CountingText text =
        new CountingText(entries(2_000).replace("\"f1999\": \"OFF", "\"f1999\": OFF"));

    Throwable thrown = catchThrowable(() -> SwitchFileParsing.json(text));

    assertThat(thrown).hasMessageStartingWith("line 2001: expected '\"'");
    assertThat(text.visits).isLessThanOrEqualTo(3L * text.length());
  }

  @Test
  void aFileOverTheLimitIsRefusedNamingItsSizeAndTheLimit() throws Exception {
    Path file = dir.resolve("features.json");
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      runtime.replace("{\"a\": \"OFF\"}");
      runtime.start(FileSwitchSource.of(file).maxSize(4096));
      runtime.replace(entries(200));
      long size = Files.size(file);

      String log = LogCapture.during(runtime.features::refresh);

      assertThat(log).contains(file.toString(), size + " bytes", "limit of 4096 bytes");
      assertThat(runtime.enabled("a")).as("the last good state stays").isFalse();
      assertThat(runtime.features.snapshot()).doesNotContainKey("f0");
      assertThat(runtime.errors()).isEqualTo(1.0);
    }
  }

  @Test
  void aLinkToAnEndlessDeviceFailsFastInsteadOfRunningOutOfMemory() throws IOException {
    Path file = dir.resolve("features.properties");
    try (FileSourceRuntime runtime = new FileSourceRuntime(file)) {
      runtime.replace("a = OFF\n");
      runtime.start();
      Files.delete(file);
      Files.createSymbolicLink(file, Path.of("/dev/zero"));

      runtime.features.refresh();
      runtime.features.refresh();

      assertThat(runtime.enabled("a")).isFalse();
      assertThat(runtime.errors()).as("reported once").isEqualTo(1.0);
    }
  }
}
