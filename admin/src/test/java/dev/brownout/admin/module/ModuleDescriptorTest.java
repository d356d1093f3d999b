package dev.brownout.admin.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled module descriptor, so that a new public package cannot become API unnoticed.
 */
class ModuleDescriptorTest {

  @Test
  void exportsExactlyTheApiPackageToEveryone() {
    ModuleDescriptor descriptor =
        ModuleFinder.of(Path.of("target/classes")).findAll().iterator().next().descriptor();

    assertThat(descriptor.name()).isEqualTo("dev.brownout.admin");
    assertThat(descriptor.exports()).allMatch(export -> !export.isQualified());
    assertThat(descriptor.exports())
        .extracting(Exports::source)
        .containsExactly("dev.brownout.admin");
  }
}
