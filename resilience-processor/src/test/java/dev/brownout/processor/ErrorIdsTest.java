package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The error identifiers are unique, well formed, and the package documentation lists exactly them.
 */
class ErrorIdsTest {

  private static final Pattern ROW = Pattern.compile("<td>(BRO-[A-Z]+-\\d{3})</td>");

  @Test
  void everyIdentifierIsUniqueAndWellFormed() {
    List<String> codes = Arrays.stream(ErrorId.values()).map(ErrorId::code).toList();

    assertThat(codes).doesNotHaveDuplicates().allMatch(code -> code.matches("BRO-[A-Z]+-\\d{3}"));
  }

  @Test
  void thePackageDocumentationListsEveryIdentifierOnce() throws Exception {
    String docs =
        Files.readString(Path.of("src/main/java/dev/brownout/processor/package-info.java"));
    Matcher rows = ROW.matcher(docs);
    List<String> listed = rows.results().map(row -> row.group(1)).toList();

    assertThat(listed)
        .containsExactlyElementsOf(Arrays.stream(ErrorId.values()).map(ErrorId::code).toList());
  }
}
