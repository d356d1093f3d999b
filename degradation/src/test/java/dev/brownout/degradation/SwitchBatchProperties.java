package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random switch files, some with invalid entries (a bad name, a far expiry, a share in Java's
 * number syntax, a feature given twice), written one after another into a real file: each file is
 * applied whole when every entry is valid, and otherwise not at all, the last good state staying
 * and the refusal counted. Never half of a file.
 */
class SwitchBatchProperties {

  private static final List<String> NAMES = List.of("a", "b", "c", "d.e");
  private static final List<String> BAD_NAMES = List.of("Bad Name", "x..y");
  private static final List<String> TEXTS =
      List.of(
          "ON",
          "OFF reason=x",
          "ROLLOUT 25%",
          "AUTO",
          "OFF by=ops for=10m",
          "OFF until=2199-01-01T00:00:00Z");
  private static final List<String> BAD_TEXTS =
      List.of(
          "OFF until=2500-01-01T00:00:00Z",
          "OFF until=1600-01-01T00:00:00Z",
          "OFF for=110000d",
          "ROLLOUT 1e2",
          "ROLLOUT -0%",
          "ROLLOUT 25d");

  record Entry(String name, String text) {
    boolean valid() {
      return !BAD_NAMES.contains(name) && !BAD_TEXTS.contains(text);
    }
  }

  @Property(tries = 200)
  void aFileIsAppliedWholeOrNotAtAll(@ForAll("files") List<List<Entry>> files) throws IOException {
    Path dir = Files.createTempDirectory("switch-batches");
    Path file = dir.resolve("features.properties");
    try (TestRuntime runtime = new TestRuntime()) {
      Features features = runtime.features;
      features.addSource(FileSwitchSource.of(file));
      double refused = 0;
      boolean lastWhole = true;
      String last = "";
      for (List<Entry> entries : files) {
        Map<String, String> before = settings(features);
        // Every file ends with the end marker, so an empty batch is an explicit "clear every
        // switch".
        String text =
            entries.stream()
                    .map(e -> e.name() + " = " + e.text() + "\n")
                    .collect(Collectors.joining())
                + "# end\n";
        boolean changed = !text.equals(last);
        last = text;
        write(dir, file, text);
        runtime.advance(Duration.ofSeconds(1));
        Set<String> names = new HashSet<>();
        boolean whole = entries.stream().allMatch(e -> e.valid() && names.add(e.name()));
        if (whole) {
          for (Entry entry : entries) {
            FeatureState state = features.feature(entry.name()).state();
            assertThat(state.source()).as(entry.name()).isEqualTo("file:" + file);
            assertThat(state.setting().kind())
                .as(entry.name())
                .isEqualTo(Switch.parse(entry.text()).kind());
          }
          for (String name : NAMES) {
            if (!names.contains(name) && features.snapshot().containsKey(name)) {
              assertThat(features.feature(name).state().source())
                  .as("%s is no longer in the file", name)
                  .isEqualTo("default");
            }
          }
        } else {
          assertThat(settings(features)).as("a refused file changes nothing").isEqualTo(before);
        }
        // Each refusal is counted once per cause: a changed file refused right after a good one
        // always
        // counts; a changed file refused for the same problem as the one before may not.
        double errors = errors(runtime, file);
        if (whole || !changed) {
          assertThat(errors).as("nothing new refused").isEqualTo(refused);
        } else if (lastWhole) {
          assertThat(errors).as("a refusal after a good file").isEqualTo(refused + 1);
        } else {
          assertThat(errors).as("a refusal after a refusal").isBetween(refused, refused + 1);
        }
        refused = errors;
        lastWhole = whole;
      }
    } finally {
      try (Stream<Path> files2 = Files.list(dir)) {
        files2.forEach(p -> p.toFile().delete());
      }
      Files.delete(dir);
    }
  }

  private static Map<String, String> settings(Features features) {
    Map<String, String> settings = new HashMap<>();
    features
        .snapshot()
        .forEach((name, state) -> settings.put(name, state.setting() + " from " + state.source()));
    return settings;
  }

  private static double errors(TestRuntime runtime, Path file) {
    var counter =
        runtime
            .registry
            .find("brownout.switch.source.errors")
            .tag("source", "file:" + file)
            .functionCounter();
    return counter == null ? 0 : counter.count();
  }

  private static void write(Path dir, Path file, String text) {
    try {
      Path next = Files.createTempFile(dir, "next", ".tmp");
      Files.writeString(next, text);
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<List<List<Entry>>> files() {
    Arbitrary<String> name =
        Arbitraries.oneOf(
            Arbitraries.of(NAMES),
            Arbitraries.of(NAMES),
            Arbitraries.of(NAMES),
            Arbitraries.of(BAD_NAMES));
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.of(TEXTS),
            Arbitraries.of(TEXTS),
            Arbitraries.of(TEXTS),
            Arbitraries.of(BAD_TEXTS));
    Arbitrary<List<Entry>> file =
        Combinators.combine(name, text).as(Entry::new).list().ofMinSize(1).ofMaxSize(5);
    return file.list().ofMinSize(1).ofMaxSize(6);
  }
}
