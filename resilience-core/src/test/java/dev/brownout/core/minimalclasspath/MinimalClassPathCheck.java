package dev.brownout.core.minimalclasspath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every public type of a module loads and can be introspected (as a container such as Spring does
 * when it creates a bean) with only the module's required dependencies on the class path: an
 * optional or provided jar the application does not use is never needed to start it (issue 23, item
 * 2).
 *
 * <p>Run by the {@code minimal-class-path} Surefire execution of the parent pom, which removes the
 * module's optional and provided artifacts from the class path ({@code
 * minimal-class-path.excludes}) and names the types that exist to speak to one of them ({@code
 * minimal-class-path.exempt}: an adapter, a Servlet filter). The check first proves the artifacts
 * are really absent, then loads every class the module compiled and calls {@code getMethods},
 * {@code getDeclaredMethods}, {@code getDeclaredConstructors} and {@code getDeclaredFields} on each
 * public one; an exempt type must still need its jar, so a stale exemption fails too. The class is
 * named {@code ...Check} so that the ordinary test run, where those jars are present, does not pick
 * it up.
 */
class MinimalClassPathCheck {

  @Test
  void everyPublicTypeLoadsWithoutTheOptionalJars() throws IOException {
    assumeTrue(
        System.getProperty("minimal-class-path.classes") != null,
        "runs in the minimal-class-path execution only (asked for by name in another one)");
    Path classes = Path.of(setting("minimal-class-path.classes"));
    List<String> excluded = list("minimal-class-path.excludes");
    List<String> exempt = list("minimal-class-path.exempt");

    List<String> present = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      for (String artifact : excluded) {
        String[] coordinates = artifact.split(":", -1);
        String folder = "/" + coordinates[0].replace('.', '/') + "/" + coordinates[1] + "/";
        if (entry.replace(File.separatorChar, '/').contains(folder)) {
          present.add(artifact + " at " + entry);
        }
      }
    }
    assertThat(present).as("artifacts that should have been left off the class path").isEmpty();

    Map<String, String> failures = new TreeMap<>();
    Map<String, Boolean> exemptNeedsItsJar = new TreeMap<>();
    exempt.forEach(name -> exemptNeedsItsJar.put(name, false));
    int introspected = 0;
    for (String name : classNames(classes)) {
      String exemption = exemptionOf(name, exempt);
      try {
        Class<?> type = Class.forName(name, false, getClass().getClassLoader());
        if (Modifier.isPublic(type.getModifiers())) {
          int members =
              type.getMethods().length
                  + type.getDeclaredMethods().length
                  + type.getDeclaredConstructors().length
                  + type.getDeclaredFields().length;
          introspected += members >= 0 ? 1 : 0; // every signature resolved: the type is usable
        }
      } catch (LinkageError | ClassNotFoundException e) {
        if (exemption == null) {
          failures.put(name, e.toString());
        } else {
          exemptNeedsItsJar.put(exemption, true);
        }
      }
    }
    assertThat(introspected).as("public types found in " + classes).isPositive();
    assertThat(failures)
        .as("types that need a jar outside the module's required dependencies")
        .isEmpty();
    assertThat(exemptNeedsItsJar)
        .as("exempt types that no longer need an excluded jar (drop the exemption)")
        .allSatisfy((name, needsJar) -> assertThat(needsJar).as(name).isTrue());
  }

  /** The exemption (a class or a package) that covers {@code name}, or null. */
  private static String exemptionOf(String name, List<String> exempt) {
    for (String prefix : exempt) {
      if (name.equals(prefix) || name.startsWith(prefix + ".") || name.startsWith(prefix + "$")) {
        return prefix;
      }
    }
    return null;
  }

  private static List<String> classNames(Path classes) throws IOException {
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString())
          .map(
              file ->
                  file.substring(0, file.length() - ".class".length())
                      .replace(File.separatorChar, '.'))
          .filter(name -> !name.endsWith("module-info") && !name.endsWith("package-info"))
          .sorted()
          .toList();
    }
  }

  private static String setting(String property) {
    String value = System.getProperty(property);
    assertThat(value)
        .as("system property " + property + " (set by the minimal-class-path execution)")
        .isNotBlank();
    return value;
  }

  private static List<String> list(String property) {
    String value = System.getProperty(property, "").trim();
    return value.isEmpty() ? List.of() : Arrays.stream(value.split("[,\\s]+", -1)).toList();
  }
}
