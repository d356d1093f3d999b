package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Java block of every page (README.md and docs/) is compiled source: it equals a region of an
 * example under this package, which the page's own test ({@code GuardsPageTest} for guards.md...)
 * runs with real parts. A block with no such region fails here, naming the page and the block.
 */
class DocsSnippetsTest {

  private static final List<String> COMPILED = Snippets.compiledSources();

  @TestFactory
  Stream<DynamicContainer> everyJavaBlockOfEveryPageIsCompiledSource() {
    return Snippets.pages().stream().map(page -> DynamicContainer.dynamicContainer(name(page), blocks(page)));
  }

  private static Stream<DynamicTest> blocks(Path page) {
    List<String> blocks = Snippets.javaBlocks(page);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      String block = blocks.get(i);
      String where = name(page) + ", Java block " + (i + 1) + " of " + blocks.size();
      tests.add(DynamicTest.dynamicTest(where, () -> {
        if (!COMPILED.contains(Snippets.normalise(block))) {
          fail(where + " has no compiled source: put it between // docs:begin and // docs:end in an example under "
              + Snippets.EXAMPLES + " that a test runs. The block begins:\n" + firstLines(block));
        }
      }));
    }
    return tests.stream();
  }

  @Test
  void thePagesWithExamplesAreFound() {
    assertThat(Snippets.pages()).extracting(DocsSnippetsTest::name)
        .contains("README.md", "docs/guards.md", "docs/degradation.md", "docs/recovery.md", "docs/executors.md",
            "docs/annotations.md", "docs/observability.md", "docs/configuration.md", "docs/operations.md",
            "docs/testing.md", "docs/admission.md", "docs/migration.md", "docs/openfeature.md",
            "docs/spring.md")
        .doesNotContain("docs/incoming");
    assertThat(Snippets.javaBlocks(Snippets.ROOT.resolve("docs/guards.md"))).isNotEmpty();
  }

  private static String name(Path page) {
    return Snippets.ROOT.relativize(page).toString().replace('\\', '/');
  }

  private static String firstLines(String block) {
    return block.lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
