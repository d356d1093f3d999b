package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  private static final Path SOURCE = Path.of("src/main/java/dev/brownout/demo/QuickStart.java");
  private static final Path README = Path.of("../README.md");

  @Test
  void readmeQuickStartIsTheCompiledQuickStartSource() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int begin = readme.indexOf("<!-- quickstart:begin");
    int end = readme.indexOf("<!-- quickstart:end -->");
    assertThat(begin).as("README has a quick start block").isNotNegative();
    String block =
        readme.substring(
            readme.indexOf("```java\n", begin) + "```java\n".length(),
            readme.lastIndexOf("```", end));

    assertThat(block).isEqualTo(Files.readString(SOURCE, StandardCharsets.UTF_8));
  }

  @Test
  void quickStartServesTheFallbackAndOpensTheBreakerAfterTheFifthCall() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "call 1: books you may like  [breaker CLOSED]",
            "call 2: books you may like  [breaker CLOSED]",
            "call 3: (no recommendations)  [breaker CLOSED]",
            "call 4: (no recommendations)  [breaker CLOSED]",
            "call 5: (no recommendations)  [breaker OPEN]",
            "call 6: (no recommendations)  [breaker OPEN]",
            "call 7: (no recommendations)  [breaker OPEN]",
            "call 8: (no recommendations)  [breaker OPEN]");
  }
}
