package dev.brownout.core.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled module descriptor, so that a new public package, or one exported to everyone
 * by mistake, fails here rather than becoming API unnoticed.
 */
class ModuleDescriptorTest {

  @Test
  void exportsExactlyTheApiPackagesAndInternalOnlyToBrownoutModules() {
    ModuleDescriptor descriptor =
        ModuleFinder.of(Path.of("target/classes")).findAll().iterator().next().descriptor();
    Map<String, Set<String>> exports = new TreeMap<>();
    for (Exports export : descriptor.exports()) {
      exports.put(export.source(), new TreeSet<>(export.targets()));
    }

    assertThat(descriptor.name()).isEqualTo("dev.brownout.core");
    assertThat(exports)
        .containsExactly(
            Map.entry("dev.brownout.core", Set.of()),
            Map.entry("dev.brownout.core.annotation", Set.of()),
            Map.entry("dev.brownout.core.executor", Set.of()),
            Map.entry(
                "dev.brownout.core.internal",
                new TreeSet<>(
                    Set.of(
                        "dev.brownout.admin",
                        "dev.brownout.degradation",
                        "dev.brownout.degradation.redis",
                        "dev.brownout.migration",
                        "dev.brownout.processor",
                        "dev.brownout.recover"))),
            Map.entry("dev.brownout.core.spi", Set.of()));
  }
}
