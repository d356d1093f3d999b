package dev.brownout.processor.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Provides;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reads the compiled module descriptor: the processor is a service of javac and exports nothing, so
 * no class of it can become API unnoticed.
 */
class ModuleDescriptorTest {

  @Test
  void providesTheProcessorAndExportsNothing() {
    ModuleDescriptor descriptor =
        ModuleFinder.of(Path.of("target/classes")).findAll().iterator().next().descriptor();

    assertThat(descriptor.name()).isEqualTo("dev.brownout.processor");
    assertThat(descriptor.exports()).isEmpty();
    assertThat(descriptor.provides())
        .extracting(Provides::service, Provides::providers)
        .containsExactly(
            tuple(
                "javax.annotation.processing.Processor",
                List.of("dev.brownout.processor.GuardProcessor")));
  }
}
