package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A switch file's features always show the last whole file the source read: deleting, emptying,
 * stripping to comments or cutting the file short (once it has used its end line) never changes
 * them.
 */
class SwitchFileProperties {

  private static final List<String> FEATURES = List.of("a", "b", "c", "d");
  private static final List<String> SETTINGS =
      List.of("ON", "OFF", "OFF by=alice reason=store is down", "ROLLOUT 25%", "AUTO");

  /** One thing that happens to the file between two refreshes. */
  sealed interface Step permits Replace, Delete, Empty, CutShort {}

  /**
   * A whole file (perhaps of comments only) replaced by a rename; {@code ended} adds the end line.
   */
  record Replace(Map<String, String> switches, boolean ended) implements Step {
    String text() {
      StringBuilder text = new StringBuilder("# switches\n");
      switches.forEach(
          (feature, setting) -> text.append(feature).append(" = ").append(setting).append('\n'));
      return ended ? text.append("# end\n").toString() : text.toString();
    }
  }

  record Delete() implements Step {}

  record Empty() implements Step {}

  /** The last whole file rewritten in place and read when {@code share} of it was written. */
  record CutShort(double share) implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Map<String, String>> switches =
        Arbitraries.maps(Arbitraries.of(FEATURES), Arbitraries.of(SETTINGS))
            .ofMaxSize(FEATURES.size())
            .map(LinkedHashMap::new);
    Arbitrary<Step> replace =
        Combinators.combine(switches, Arbitraries.of(true, false)).as(Replace::new);
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, replace),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Delete())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(new Empty())),
            net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(0.0, 0.95).map(CutShort::new)));
    return step.list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 150)
  void theFeaturesShowTheLastWholeFile(@ForAll("steps") List<Step> steps) throws IOException {
    Path dir = Files.createTempDirectory("switch-file");
    Path file = dir.resolve("features.properties");
    try (TestRuntime runtime = new TestRuntime()) {
      runtime.features.addSource(FileSwitchSource.of(file));
      Replace lastWhole = null;
      boolean applied = false;
      boolean endSeen = false;
      for (Step step : steps) {
        if (step instanceof Replace replace) {
          replace(dir, file, replace.text());
        } else if (step instanceof Delete) {
          Files.deleteIfExists(file);
        } else if (step instanceof Empty) {
          Files.writeString(file, "");
        } else if (step instanceof CutShort cut) {
          if (!endSeen) {
            return; // without the end line, a file cut short cannot be told from a whole one
          }
          String whole = lastWhole.text();
          Files.writeString(
              file,
              whole.substring(0, (int) (cut.share() * (whole.length() - "# end\n".length()))));
        }
        runtime.features.refresh();
        if (step instanceof Replace replace
            && (replace.ended() || !endSeen)
            && (replace.ended() || !replace.switches().isEmpty() || !applied)) {
          lastWhole = replace;
          applied = true;
          endSeen |= replace.ended();
        }
        for (String feature : FEATURES) {
          Switch expected =
              Switch.parse(
                  lastWhole == null ? "ON" : lastWhole.switches().getOrDefault(feature, "ON"));
          Switch actual = runtime.features.feature(feature).state().setting();
          if (expected.kind() == Switch.Kind.ON) {
            assertThat(actual.kind()).as("%s after %s", feature, step).isEqualTo(Switch.Kind.ON);
          } else {
            assertThat(actual).as("%s after %s", feature, step).isEqualTo(expected);
          }
        }
      }
    } finally {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static void replace(Path dir, Path file, String text) throws IOException {
    Path next = Files.createTempFile(dir, "next", ".tmp");
    Files.writeString(next, text, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
