package dev.brownout.demo.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, demo: on a fresh JVM, the avatars breaker opened about a second into the run, with no
 * outage. The first calls of the service's HTTP client load its classes, run interpreted and open
 * its connections: they took longer than the avatars timeout (150 ms), and the breaker, ten calls
 * in, counted half of them as failures. The service now warms its client before it takes traffic.
 *
 * <p>Only a fresh JVM shows it (any earlier test warms the client up), so the demo runs in one: ten
 * seconds of the scenario, whose only outage is of recommendations and comments; the avatars
 * breaker must not change state.
 */
class ColdStartBreakerTest {

  @Test
  void theAvatarsBreakerStaysClosedOnAFreshJvm(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("demo.txt");
    Process demo =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.logFile=" + dir.resolve("demo.log"),
                    "dev.brownout.demo.Demo",
                    "--seconds",
                    "10"))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean ended = demo.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      demo.destroyForcibly();
    }
    String shown = Files.readString(output, StandardCharsets.UTF_8);

    assertThat(ended).as(shown).isTrue();
    assertThat(shown).as(shown).contains("breaker transitions:");
    String transitions =
        shown.substring(
            shown.indexOf("breaker transitions:"), shown.indexOf("executor rejections"));
    assertThat(transitions).as(shown).doesNotContain("avatars");
  }
}
