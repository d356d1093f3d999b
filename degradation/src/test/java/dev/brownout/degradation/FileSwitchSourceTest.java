package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSwitchSourceTest {

  @TempDir Path dir;

  private final TestRuntime runtime = new TestRuntime();
  private final Features features = runtime.features;

  @AfterEach
  void close() {
    runtime.close();
  }

  /** Replaces the file in one step, as a ConfigMap update does. */
  private void write(Path file, String text) throws IOException {
    Path next = Files.createTempFile(dir, "next", ".tmp");
    Files.writeString(next, text, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private double errors(Path file) {
    var counter =
        runtime
            .registry
            .find("brownout.switch.source.errors")
            .tag("source", "file:" + file)
            .functionCounter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void theFileIsAppliedAtStartAndReloadedWhenItChanges() throws IOException {
    Path file = dir.resolve("features.properties");
    write(
        file,
        "# switches\nfeed.recommendations = OFF by=alice reason=store is down\nfeed.avatars = ROLLOUT 25%\n");

    features.addSource(FileSwitchSource.of(file));

    assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();
    assertThat(features.feature("feed.recommendations").state().source()).isEqualTo("file:" + file);
    assertThat(features.feature("feed.avatars").state().effective()).isEqualTo("ROLLOUT 25%");

    write(file, "feed.recommendations = ON\n");
    runtime.advance(Duration.ofSeconds(1));

    assertThat(features.feature("feed.recommendations").isEnabled()).isTrue();
    assertThat(features.feature("feed.avatars").isEnabled())
        .as("no longer in the file: back to ON")
        .isTrue();
    assertThat(features.history())
        .last()
        .extracting(SwitchChange::cause)
        .isEqualTo("removed from file:" + file + "; back to ON (nothing else sets it)");
  }

  @Test
  void anUnchangedFileDoesNotUndoAChangeMadeThroughTheApi() throws IOException {
    Path file = dir.resolve("features.properties");
    write(file, "comments = OFF\n");
    features.addSource(FileSwitchSource.of(file));
    features.set("comments", Switch.on());

    runtime.advance(Duration.ofSeconds(1));
    assertThat(features.feature("comments").isEnabled()).isTrue();

    write(file, "comments = OFF\nother = ON\n");
    runtime.advance(Duration.ofSeconds(1));
    assertThat(features.feature("comments").isEnabled())
        .as("the file's line for it did not change")
        .isTrue();
  }

  @Test
  void aMalformedFileIsRejectedAsAWholeAndTheLastGoodStateStays() throws IOException {
    Path file = dir.resolve("features.properties");
    write(file, "a = OFF\nb = ON\n");
    features.addSource(FileSwitchSource.of(file));

    write(file, "a = ON\nb = OFF\nc = DIMMED\n");
    runtime.advance(Duration.ofSeconds(1));

    assertThat(features.feature("a").isEnabled()).isFalse();
    assertThat(features.feature("b").isEnabled()).isTrue();
    assertThat(features.snapshot()).doesNotContainKey("c");
    assertThat(errors(file)).isEqualTo(1.0);

    runtime.advance(Duration.ofSeconds(1));
    assertThat(errors(file)).as("the same bad file is reported once").isEqualTo(1.0);

    write(file, "a = ON\n");
    runtime.advance(Duration.ofSeconds(1));
    assertThat(features.feature("a").isEnabled()).isTrue();
  }

  @Test
  void parseErrorsNameTheLine() {
    assertThat(catchMessage("a = ON\n\nb DIMMED\n"))
        .startsWith("line 3: feature b: switch must start with ON");
    assertThat(catchMessage("a = ON\nB = ON\n")).startsWith("line 2: feature.name must be");
    assertThat(catchMessage("a = ON\na = OFF\n"))
        .isEqualTo("line 2: feature 'a' is set twice (first on line 1)");
    assertThat(catchMessage("a = ROLLOUT 200\n")).startsWith("line 1: feature a: switch.rollout");
    assertThat(catchJsonMessage("{\n  \"a\": \"ON\",\n  \"b\": OFF\n}"))
        .startsWith("line 3: expected '\"'");
    assertThat(catchJsonMessage("{\"a\": \"ON\"} trailing"))
        .startsWith("line 1: unexpected text after the object");
  }

  private static String catchMessage(String text) {
    try {
      SwitchFile.properties(text);
      return "parsed";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String catchJsonMessage(String text) {
    try {
      SwitchFile.json(text);
      return "parsed";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  @Test
  void aSizeLimitMustBePositive() {
    assertThatThrownBy(() -> FileSwitchSource.of(dir.resolve("f.json")).maxSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fileSwitchSource.maxSize must be at least 1, but was 0");
  }

  @Test
  void aJsonFileWorksTheSameWay() throws IOException {
    Path file = dir.resolve("features.json");
    write(
        file,
        "{\n  \"feed.avatars\": \"OFF for=10m reason=CDN \\\"blue\\\" outage\",\n  \"beta\": \"ROLLOUT 5%\"\n}\n");
    features.addSource(FileSwitchSource.of(file));

    assertThat(features.feature("feed.avatars").state().setting().reason())
        .isEqualTo("CDN \"blue\" outage");
    assertThat(features.feature("beta").state().effective()).isEqualTo("ROLLOUT 5%");
    assertThat(SwitchFile.json("{}").switches()).isEmpty();
  }

  @Test
  void aMissingFileSetsNothingUntilItAppears() throws IOException {
    Path file = dir.resolve("later.properties");
    features.addSource(FileSwitchSource.of(file));
    assertThat(features.snapshot()).isEmpty();
    write(file, "x = OFF\n");
    runtime.advance(Duration.ofSeconds(1));
    assertThat(features.feature("x").isEnabled()).isFalse();
    assertThat(errors(file)).isZero();
  }

  @Test
  void concurrentReadersNeverSeeHalfAFile() throws Exception {
    Path file = dir.resolve("features.properties");
    StringBuilder allOff = new StringBuilder();
    StringBuilder allOn = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      allOff.append("f").append(i).append(" = OFF\n");
      allOn.append("f").append(i).append(" = ON reason=back\n");
    }
    write(file, allOn.toString());
    features.addSource(FileSwitchSource.of(file));

    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    CountDownLatch readersRan = new CountDownLatch(2);
    Runnable reader =
        () -> {
          long reads = 0;
          while (!stop.get() || reads < 1000) {
            Map<String, FeatureState> snapshot = features.snapshot();
            long off = snapshot.values().stream().filter(FeatureState::isDegraded).count();
            if (off != 0 && off != snapshot.size()) {
              torn.compareAndSet(null, off + " of " + snapshot.size() + " off");
            }
            reads++;
          }
          readersRan.countDown();
        };
    Thread first = new Thread(reader);
    Thread second = new Thread(reader);
    first.start();
    second.start();
    for (int round = 0; round < 200; round++) {
      write(file, round % 2 == 0 ? allOff.toString() : allOn.toString());
      features.refresh();
    }
    stop.set(true);
    assertThat(readersRan.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(torn.get()).isNull();
    assertThat(features.history()).hasSizeGreaterThanOrEqualTo(200 * 50 / 10);
  }
}
