package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * brownout-bom manages every published module at the project version, and the XML of the pages
 * names only real Brownout artifacts at that version, with a compiler plugin that runs the processor.
 */
class BomTest {

  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
  private static final Pattern COORDINATES = Pattern.compile(
      "<groupId>dev\\.brownout</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:\\s*<!--[^>]*-->)?(?:\\s*<version>([^<]+)</version>)?");
  private static final Pattern XML_BLOCK = Pattern.compile("(?m)^```xml\\n(.*?)^```$", Pattern.DOTALL);

  private final String parent = Snippets.read(Snippets.ROOT.resolve("pom.xml"));
  private final String bom = Snippets.read(Snippets.ROOT.resolve("brownout-bom/pom.xml"));

  @Test
  void theBomManagesEveryPublishedModuleAtTheProjectVersion() {
    assertThat(version(bom)).isEqualTo(version(parent));
    Set<String> managed = new TreeSet<>();
    Matcher m = COORDINATES.matcher(bom.substring(bom.indexOf("<dependencyManagement>")));
    while (m.find()) {
      managed.add(m.group(1));
      assertThat(m.group(2)).as(m.group(1)).isEqualTo("${project.version}");
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(publishedModules());
    // spring-boot-* is Spring Boot's own namespace: a third-party starter puts its name first.
    assertThat(managed).noneMatch(artifact -> artifact.startsWith("spring-boot"));
  }

  @Test
  void thePagesXmlNamesRealArtifactsAtTheProjectVersion() {
    Set<String> artifacts = new TreeSet<>(publishedModules());
    artifacts.add("brownout-bom");
    List<String> named = new ArrayList<>();
    for (Path page : Snippets.pages()) {
      Matcher block = XML_BLOCK.matcher(Snippets.read(page));
      while (block.find()) {
        Matcher m = COORDINATES.matcher(block.group(1));
        while (m.find()) {
          named.add(m.group(1));
          assertThat(artifacts).as("%s names dev.brownout:%s", page, m.group(1)).contains(m.group(1));
          if (m.group(2) != null) {
            assertThat(m.group(2)).as("%s: the version of %s", page, m.group(1)).isEqualTo(version(parent));
          }
        }
      }
    }
    assertThat(named).contains("brownout-bom", "resilience-core", "degradation", "degradation-redis", "recover-middleware",
        "resilience-processor", "brownout-testing");
  }

  @Test
  void theProcessorSetUpNamesACompilerPluginThatHonoursTheProcessorPath() {
    String page = Snippets.read(Snippets.ROOT.resolve("docs/annotations.md"));
    Matcher m = Pattern.compile("<artifactId>maven-compiler-plugin</artifactId>\\s*<version>(\\d+)\\.(\\d+)\\.(\\d+)</version>")
        .matcher(page);
    assertThat(m.find()).as("docs/annotations.md names the maven-compiler-plugin version").isTrue();
    int[] version = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    assertThat(version[0] * 1_000_000 + version[1] * 1_000 + version[2]).as("3.13.0 or newer").isGreaterThanOrEqualTo(3_013_000);
  }

  /** The modules of the build that are deployed: all but those that skip maven-deploy-plugin, and the BOM. */
  private List<String> publishedModules() {
    List<String> published = new ArrayList<>();
    Matcher m = MODULE.matcher(parent);
    while (m.find()) {
      String module = m.group(1);
      String pom = Snippets.read(Snippets.ROOT.resolve(module).resolve("pom.xml"));
      boolean skipsDeploy = Pattern.compile("<artifactId>maven-deploy-plugin</artifactId>\\s*<configuration>\\s*<skip>true</skip>")
          .matcher(pom).find();
      if (!skipsDeploy && !module.equals("brownout-bom")) {
        // A starter is a jar of dependencies with no code of its own, declared like any jar.
        assertThat(pom).as(module).doesNotContain("<packaging>pom</packaging>");
        assertThat(module.endsWith("-starter") || Files.exists(Snippets.ROOT.resolve(module).resolve("src/main/java"))).as(module).isTrue();
        published.add(artifactId(pom));
      }
    }
    return published;
  }

  /** The module's artifactId (the testing module's is brownout-testing): the first one after the parent element. */
  private static String artifactId(String pom) {
    Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(pom.substring(pom.indexOf("</parent>")));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  /** The project's own version: the first version after the artifactId, outside the parent element. */
  private static String version(String pom) {
    String own = pom.contains("</parent>") ? pom.substring(pom.indexOf("</parent>")) : pom;
    Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(own);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
