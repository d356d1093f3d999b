package dev.brownout.demo;

import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Resolves the published modules as the module system would for a service on the module path: a
 * module that requires each of them, over the Brownout modules and the dependency jars this test
 * runs with. It fails if a descriptor requires a module that is missing or has no stable name, if
 * two modules hold one package, or if a {@code requires transitive} that the API needs is lost.
 */
class ModulePathTest {

  private static final List<String> PUBLISHED =
      List.of(
          "dev.brownout.core",
          "dev.brownout.degradation",
          "dev.brownout.degradation.redis",
          "dev.brownout.recover",
          "dev.brownout.testing",
          "dev.brownout.processor",
          "dev.brownout.migration",
          "dev.brownout.openfeature",
          "dev.brownout.admin",
          // Spring Boot's jars are automatic modules, so the Spring module is one too.
          "dev.brownout.spring");

  @Test
  void aServiceModuleResolvesEveryPublishedModuleAndNoOptionalOne() {
    ModuleDescriptor.Builder builder = ModuleDescriptor.newModule("com.example.service");
    PUBLISHED.forEach(builder::requires);
    Configuration configuration = resolve(builder.build());

    assertThat(configuration.modules()).extracting(ResolvedModule::name).containsAll(PUBLISHED);
    // Optional parts stay optional: the Servlet API and JSpecify are on this class path, and only
    // static requires name them, so nothing resolves them. (Resilience4j cannot be checked this
    // way:
    // an automatic module such as lettuce.core reads every other automatic module.)
    assertThat(configuration.findModule("jakarta.servlet")).isEmpty();
    assertThat(configuration.findModule("org.jspecify")).isEmpty();
  }

  @Test
  void requiringTheRedisSourceReadsEveryModuleItsApiShows() {
    Configuration configuration =
        resolve(
            ModuleDescriptor.newModule("com.example.service")
                .requires("dev.brownout.degradation.redis")
                .build());

    Set<String> read =
        configuration.findModule("com.example.service").orElseThrow().reads().stream()
            .map(ResolvedModule::name)
            .collect(toSet());
    // Features.of takes a Brownout (core), whose builder takes a MeterRegistry (Micrometer), and
    // the
    // Redis source's builder takes Lettuce's RedisURI: each comes through a requires transitive.
    assertThat(read)
        .contains(
            "dev.brownout.degradation.redis",
            "dev.brownout.degradation",
            "dev.brownout.core",
            "micrometer.core",
            "lettuce.core");
  }

  @Test
  void theSpringModuleIsAnAutomaticModuleOfAStableNameBesideSpringBoots() {
    Configuration configuration =
        resolve(
            ModuleDescriptor.newModule("com.example.service")
                .requires("dev.brownout.spring")
                .requires("dev.brownout.admin")
                .requires("spring.boot.autoconfigure")
                .build());

    ModuleDescriptor spring =
        configuration.findModule("dev.brownout.spring").orElseThrow().reference().descriptor();
    // Its name is its manifest's Automatic-Module-Name, not one made from the jar's file name;
    // it holds one package, which no other module on the path holds (resolution would fail).
    assertThat(spring.isAutomatic()).isTrue();
    assertThat(spring.packages()).containsExactly("dev.brownout.spring");
    assertThat(configuration.modules())
        .extracting(ResolvedModule::name)
        .contains("spring.boot", "spring.boot.autoconfigure", "spring.context", "spring.core");
  }

  private static Configuration resolve(ModuleDescriptor service) {
    ModuleFinder serviceFinder =
        new ModuleFinder() {
          private final ModuleReference reference =
              new ModuleReference(service, URI.create("file:///service")) {
                @Override
                public java.lang.module.ModuleReader open() {
                  throw new UnsupportedOperationException("the service module has no content");
                }
              };

          @Override
          public Optional<ModuleReference> find(String name) {
            return name.equals(service.name()) ? Optional.of(reference) : Optional.empty();
          }

          @Override
          public Set<ModuleReference> findAll() {
            return Set.of(reference);
          }
        };
    return Configuration.resolve(
        ModuleFinder.compose(serviceFinder, ModuleFinder.of(modulePath())),
        List.of(Configuration.empty()),
        ModuleFinder.ofSystem(),
        Set.of(service.name()));
  }

  /**
   * This test's class path as a module path: Brownout's modules (classes directories or jars, as
   * the build phase gives them) and the dependency jars. The demo's own classes are not a module,
   * and a jar that cannot be one (no valid automatic name) is left out: a Brownout module left out
   * fails the resolution.
   */
  private static Path[] modulePath() {
    List<Path> entries = new ArrayList<>();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    for (String entry : classPath.split(File.pathSeparator, -1)) {
      Path path = Path.of(entry);
      if (Files.isDirectory(path) && !Files.exists(path.resolve("module-info.class"))) {
        Optional<Path> automatic = asAutomaticModule(path);
        if (automatic.isEmpty()) {
          continue;
        }
        path = automatic.get();
      }
      try {
        ModuleFinder.of(path).findAll();
        entries.add(path);
      } catch (FindException notAModule) {
        // left out, see above
      }
    }
    return entries.toArray(Path[]::new);
  }

  /**
   * A Brownout module without a descriptor (the Spring module, an automatic module like Spring
   * Boot's jars) as the build gives it before packaging, a classes directory: jarred with the
   * Automatic-Module-Name its pom gives the jar plugin. Empty for any other directory.
   */
  private static Optional<Path> asAutomaticModule(Path classes) {
    Path pom = classes.getParent() == null ? null : classes.getParent().resolveSibling("pom.xml");
    if (pom == null || !classes.endsWith(Path.of("target", "classes")) || !Files.exists(pom)) {
      return Optional.empty();
    }
    try {
      Matcher name =
          Pattern.compile("<Automatic-Module-Name>([^<]+)</Automatic-Module-Name>")
              .matcher(Files.readString(pom));
      if (!name.find()) {
        return Optional.empty();
      }
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifest.getMainAttributes().putValue("Automatic-Module-Name", name.group(1));
      Path jar = Files.createTempFile("automatic-module", ".jar");
      jar.toFile().deleteOnExit();
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
          Stream<Path> files = Files.walk(classes)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
          Files.copy(file, out);
          out.closeEntry();
        }
      }
      return Optional.of(jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
