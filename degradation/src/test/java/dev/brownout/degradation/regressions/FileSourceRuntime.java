package dev.brownout.degradation.regressions;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Features with a switch file, refreshed only when a test says, and the file's error count. */
final class FileSourceRuntime implements AutoCloseable {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Brownout brownout =
      Brownout.builder()
          .meterRegistry(registry)
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  final Features features = Features.of(brownout);
  final Path file;

  FileSourceRuntime(Path file) {
    this.file = file;
  }

  FileSourceRuntime start(FileSwitchSource source) {
    features.addSource(source);
    return this;
  }

  FileSourceRuntime start() {
    return start(FileSwitchSource.of(file));
  }

  /** Replaces the file in one step, as a ConfigMap update does. */
  void replace(String text) throws IOException {
    Path next = Files.createTempFile(file.toAbsolutePath().getParent(), "next", ".tmp");
    Files.writeString(next, text, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Rewrites the file in place, as an editor or {@code echo >} does: a reader can see it half
   * written.
   */
  void rewriteInPlace(String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  boolean enabled(String feature) {
    return features.feature(feature).isEnabled();
  }

  double errors() {
    FunctionCounter counter =
        registry
            .find("brownout.switch.source.errors")
            .tag("source", "file:" + file)
            .functionCounter();
    return counter == null ? 0 : counter.count();
  }

  @Override
  public void close() {
    brownout.close();
  }
}
