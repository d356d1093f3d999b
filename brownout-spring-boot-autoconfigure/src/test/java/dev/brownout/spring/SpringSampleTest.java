package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The sample project of docs/spring.md ({@code docs/examples/spring-sample}) builds and runs: its
 * sources are compiled here with Brownout's processor against this module's test class path (the
 * starter's modules, Spring Boot's web and actuator starters), started in Tomcat on a free port,
 * and asked over HTTP. Its pom names the versions this build uses.
 */
class SpringSampleTest {

  private static final Path ROOT = Path.of("..");
  private static final Path SAMPLE = ROOT.resolve("docs/examples/spring-sample");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theSampleCompilesStartsAndAnswers(@TempDir Path classes) throws Exception {
    compile(classes);
    copyResources(classes);

    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      Thread.currentThread().setContextClassLoader(loader);
      Class<?> main = loader.loadClass("com.example.quotes.QuotesApplication");
      SpringApplication application =
          new SpringApplication(new DefaultResourceLoader(loader), main);
      try (ConfigurableApplicationContext context = application.run("--server.port=0")) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Object quotes = context.getBean(loader.loadClass("com.example.quotes.QuoteService"));

        assertThat(quotes.getClass().getSimpleName()).isEqualTo("Guarded_QuoteService");
        assertThat(get(port, "/quote/ACME").body()).isEqualTo("12345");
        assertThat(get(port, "/quote/NOPE").body()).isEqualTo("-1"); // the fallback
        assertThat(get(port, "/news/ACME").body()).isEqualTo("[]"); // the feature is off
        HttpResponse<String> crash = get(port, "/crash");
        assertThat(crash.statusCode()).isEqualTo(500);
        assertThat(crash.body()).contains("\"incident\":\"").doesNotContain("password");
        assertThat(get(port, "/actuator/brownout/features/quotes.news").body())
            .contains("\"switch\":\"OFF\"")
            .contains("\"reason\":\"news service is down\"");
      }
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  @Test
  void theSamplesPomUsesTheVersionsOfThisBuild() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String pom = Files.readString(SAMPLE.resolve("pom.xml"));

    assertThat(element(pom, "brownout.version")).isEqualTo(projectVersion(parent));
    assertThat(pom)
        .contains(
            "<artifactId>spring-boot-starter-parent</artifactId>\n    <version>"
                + element(parent, "spring-boot.version")
                + "</version>")
        .contains("<artifactId>brownout-spring-boot-starter</artifactId>")
        .contains("<artifactId>resilience-processor</artifactId>");
  }

  private static void compile(Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Path> sources;
    try (Stream<Path> files = Files.walk(SAMPLE.resolve("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    StringWriter diagnostics = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      List<String> options =
          new ArrayList<>(
              List.of(
                  "--release",
                  "17",
                  "-classpath",
                  classPath,
                  "-processorpath",
                  classPath,
                  "-processor",
                  "dev.brownout.processor.GuardProcessor",
                  "-d",
                  classes.toString()));
      boolean compiled =
          javac
              .getTask(
                  diagnostics,
                  files,
                  null,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      assertThat(compiled).as(diagnostics.toString()).isTrue();
    }
    assertThat(classes.resolve("com/example/quotes/Guarded_QuoteService.class")).exists();
  }

  private static void copyResources(Path classes) throws IOException {
    Path resources = SAMPLE.resolve("src/main/resources");
    try (Stream<Path> files = Files.walk(resources)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = classes.resolve(resources.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String element(String xml, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(xml);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  /** The first version after the parent element: the build's own. */
  private static String projectVersion(String pom) {
    String own = pom.substring(pom.indexOf("<artifactId>brownout-parent</artifactId>"));
    return element(own, "version");
  }
}
