package dev.brownout.demo.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java blocks of the documentation and the compiled sources they must equal.
 *
 * <p>A page's block is checked against regions of the example sources: the lines between a {@code //
 * docs:begin} line and the next {@code // docs:end} line of a file under {@code
 * demo/src/test/java/dev/brownout/demo/docs}, or a whole file of that folder or of the demo's main
 * sources (the quick start), or of the Spring Boot examples ({@link #SPRING}). Block and region are
 * compared with every run of whitespace made one space, so indentation and line breaks may differ,
 * nothing else.
 */
final class Snippets {

  static final Path ROOT = Path.of("..");
  static final Path EXAMPLES = Path.of("src/test/java/dev/brownout/demo/docs");
  static final Path MAIN = Path.of("src/main/java/dev/brownout/demo");
  /**
   * docs/spring.md's examples: the Spring Boot test application of brownout-spring-boot-autoconfigure and the
   * sample project, which that module's tests run in Tomcat; the demo does not depend on Spring Boot.
   */
  static final List<Path> SPRING = List.of(
      ROOT.resolve("brownout-spring-boot-autoconfigure/src/test/java/dev/brownout/spring/sample"),
      ROOT.resolve("brownout-spring-boot-autoconfigure/src/test/java/dev/brownout/spring/shop"),
      ROOT.resolve("docs/examples/spring-sample/src/main/java/com/example/quotes"));

  private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
  private static final Pattern REGION =
      Pattern.compile("(?m)^[ \\t]*// docs:begin[^\\n]*\\n(.*?)^[ \\t]*// docs:end[^\\n]*$", Pattern.DOTALL);

  private Snippets() {}

  /** README.md and every page of docs/, except docs/incoming (drafts not yet folded in). */
  static List<Path> pages() {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** The Java blocks of {@code page}, in order. */
  static List<String> javaBlocks(Path page) {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(read(page));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  /** The first block of {@code language} (properties, xml...) of the page at {@code path} under the root. */
  static String firstBlock(String path, String language) {
    return block(path, language, 1);
  }

  /** The {@code n}th block (from 1) of {@code language} of the page at {@code path} under the root. */
  static String block(String path, String language, int n) {
    String page = read(ROOT.resolve(path));
    String fence = "```" + language + "\n";
    int start = -1;
    for (int i = 0; i < n; i++) {
      start = page.indexOf(fence, start + 1);
      if (start < 0) {
        throw new IllegalStateException(path + " has fewer than " + n + " " + language + " blocks");
      }
    }
    start += fence.length();
    return page.substring(start, page.indexOf("```", start));
  }

  /** Every region of the example sources and every whole example or demo source, normalised. */
  static List<String> compiledSources() {
    List<String> sources = new ArrayList<>();
    List<Path> dirs = new ArrayList<>(List.of(EXAMPLES, MAIN));
    dirs.addAll(SPRING);
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(file -> {
          String text = read(file);
          sources.add(normalise(text));
          Matcher m = REGION.matcher(text);
          while (m.find()) {
            sources.add(normalise(m.group(1)));
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sources;
  }

  static String normalise(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
