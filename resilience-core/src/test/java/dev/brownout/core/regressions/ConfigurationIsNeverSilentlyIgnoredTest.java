package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.GuardSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 4: configuration that was silently ignored. A class-level key and a key for a
 * misspelt method neither applied nor failed; {@code ConfigSource.environment()} listed no keys, so
 * a misspelt variable was ignored; and a {@code -Dbrownout.guard...} property was accepted without
 * error by a runtime that does not read system properties. Now the most specific key wins (guard,
 * class, defaults, code), and every key that sets nothing fails, naming the nearest valid key.
 */
class ConfigurationIsNeverSilentlyIgnoredTest {

  private static final String PLACE = "brownout.guard.Orders.place.bulkhead.maxConcurrentCalls";
  private static final String CLASS = "brownout.guard.Orders.bulkhead.maxConcurrentCalls";
  private static final String DEFAULT = "brownout.defaults.bulkhead.maxConcurrentCalls";

  private static Brownout runtime(ConfigSource config) {
    return Brownout.builder().config(config).build();
  }

  private static Brownout runtime(Map<String, String> settings) {
    return runtime(ConfigSource.of(settings, "test settings"));
  }

  /** A guard of class Orders with a bulkhead of 10, as a generated class would describe it. */
  private static GuardSpec orders(String method) {
    return GuardSpec.named("Orders." + method)
        .inClass("Orders")
        .set("bulkhead", "maxConcurrentCalls", "10");
  }

  private static int limit(Brownout brownout, String guard) {
    return brownout.findGuard(guard).orElseThrow().bulkhead().orElseThrow().maxConcurrentCalls();
  }

  @Test
  void guardKeyThenClassKeyThenDefaultKeyThenTheCode() {
    try (Brownout brownout = runtime(Map.of(PLACE, "2", CLASS, "4", DEFAULT, "6"))) {
      orders("place").build(brownout);
      orders("cancel").build(brownout);
      GuardSpec.named("reports").set("bulkhead", "maxConcurrentCalls", "10").build(brownout);

      assertThat(limit(brownout, "Orders.place")).isEqualTo(2);
      assertThat(limit(brownout, "Orders.cancel")).isEqualTo(4);
      assertThat(limit(brownout, "reports")).isEqualTo(6);
    }
    try (Brownout brownout = runtime(Map.of())) {
      orders("place").build(brownout);

      assertThat(limit(brownout, "Orders.place")).isEqualTo(10);
    }
  }

  @Test
  void aKeyForAMisspeltGuardFailsTheConfigCheckNamingTheNearestKey() {
    try (Brownout brownout =
        runtime(Map.of("brownout.guard.Orders.plcae.bulkhead.maxConcurrentCalls", "3"))) {
      orders("place").build(brownout);

      assertThatThrownBy(brownout::checkConfig)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "brownout.guard.Orders.plcae.bulkhead.maxConcurrentCalls = 3 (from test settings) sets no guard or"
                  + " class built so far; the nearest valid key is "
                  + PLACE);
    }
  }

  @Test
  void aKeyForAGuardBuiltWithoutASpecSaysItReadsNoConfiguration() {
    try (Brownout brownout = runtime(Map.of("brownout.guard.payments.timeout.duration", "1s"))) {
      brownout.guard("payments").timeout(java.time.Duration.ofSeconds(2)).build();

      assertThatThrownBy(brownout::checkConfig)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "brownout.guard.payments.timeout.duration = 1s (from test settings) names guard 'payments', built with"
                  + " Brownout.guard(...), which reads no configuration; build it from a GuardSpec to configure it");
    }
  }

  @Test
  void aClassKeyForAPolicyNoGuardOfTheClassHasFailsTheClassCheck() {
    try (Brownout brownout = runtime(Map.of("brownout.guard.Orders.timeout.duration", "1s"))) {
      orders("place").build(brownout);

      assertThatThrownBy(() -> GuardSpec.checkClassKeys(brownout, "Orders"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "brownout.guard.Orders.timeout.duration = 1s (from test settings) sets no guard or class built so far");
    }
  }

  @Test
  void everyKeyThatSetsAGuardTheClassOrADefaultPassesTheConfigCheck() {
    try (Brownout brownout =
        runtime(Map.of(PLACE, "2", CLASS, "4", "brownout.defaults.retry.maxAttempts", "2"))) {
      orders("place").build(brownout);

      assertThatCode(() -> GuardSpec.checkClassKeys(brownout, "Orders")).doesNotThrowAnyException();
      assertThatCode(brownout::checkConfig).doesNotThrowAnyException();
    }
  }

  @Test
  void aKeyThatCannotBeASettingFailsWhenTheRuntimeIsBuilt() {
    assertThatThrownBy(() -> runtime(Map.of("brownout.defaults.bulkhead.maxConcurrentCals", "3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "brownout.defaults.bulkhead.maxConcurrentCals = 3 (from test settings) is not a setting;"
                + " the nearest valid key is "
                + DEFAULT);
  }

  @Test
  void environmentVariablesApplyAndAMisspeltOneFailsNamingTheNearestVariable() {
    ConfigSource environment =
        ConfigSource.environment(
            Map.of("BROWNOUT_GUARD_ORDERS_PLACE_BULKHEAD_MAXCONCURRENTCALLS", "3"),
            "test environment");
    try (Brownout brownout = runtime(environment)) {
      orders("place").build(brownout);

      assertThat(limit(brownout, "Orders.place")).isEqualTo(3);
      assertThatCode(brownout::checkConfig).doesNotThrowAnyException();
    }

    ConfigSource misspelt =
        ConfigSource.environment(
            Map.of("BROWNOUT_GUARD_ORDERS_PLACE_BULKHEAD_MAXCONCURENTCALLS", "3"),
            "test environment");
    assertThatThrownBy(() -> runtime(misspelt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "environment variable BROWNOUT_GUARD_ORDERS_PLACE_BULKHEAD_MAXCONCURENTCALLS = 3 (from test environment)"
                + " is not a setting; the nearest valid key is variable BROWNOUT_GUARD_ORDERS_PLACE_BULKHEAD_MAXCONCURRENTCALLS");
  }

  @Test
  void anEnvironmentVariableForAMisspeltGuardFailsTheConfigCheck() {
    ConfigSource environment =
        ConfigSource.environment(
            Map.of("BROWNOUT_GUARD_ORDRES_PLACE_BULKHEAD_MAXCONCURRENTCALLS", "3"),
            "test environment");
    try (Brownout brownout = runtime(environment)) {
      orders("place").build(brownout);

      assertThatThrownBy(brownout::checkConfig)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "environment variable BROWNOUT_GUARD_ORDRES_PLACE_BULKHEAD_MAXCONCURRENTCALLS = 3 (from test environment)"
                  + " sets no guard or class built so far; the nearest valid key is variable"
                  + " BROWNOUT_GUARD_ORDERS_PLACE_BULKHEAD_MAXCONCURRENTCALLS");
    }
  }

  @Test
  void anEnvironmentVariableTheRuntimeDoesNotReadFailsTheBuild() throws Exception {
    // A test cannot set a variable of its own process: build a runtime in a child JVM that has one.
    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            BuildARuntime.class.getName());
    child.environment().put("BROWNOUT_GUARD_ORDERS_PLACE_TIMEOUT_DURATION", "1s");
    child.redirectErrorStream(true);
    Process process = child.start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

    assertThat(process.waitFor()).isZero();
    assertThat(output)
        .isEqualTo(
            "environment variable BROWNOUT_GUARD_ORDERS_PLACE_TIMEOUT_DURATION is not read: this"
                + " runtime's configuration is system properties; add .config(ConfigSource.environment()) to Brownout.builder()");
  }

  /** Builds a runtime that reads system properties only, and prints why it failed. */
  static final class BuildARuntime {
    public static void main(String[] args) {
      try (Brownout brownout = Brownout.builder().config(ConfigSource.systemProperties()).build()) {
        System.out.println("built " + brownout.getClass().getSimpleName());
      } catch (IllegalArgumentException e) {
        System.out.println(e.getMessage());
      }
    }
  }

  @Test
  void aSystemPropertyTheRuntimeDoesNotReadFailsTheBuildNamingTheMissingSource() {
    System.setProperty(PLACE, "150");
    try {
      assertThatThrownBy(() -> Brownout.builder().build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "system property "
                  + PLACE
                  + " = 150 is not read: this runtime's configuration is no configuration;"
                  + " add .config(ConfigSource.systemProperties()) to Brownout.builder()");

      try (Brownout brownout = runtime(ConfigSource.systemProperties())) {
        orders("place").build(brownout);
        assertThat(limit(brownout, "Orders.place")).isEqualTo(150);
      }
    } finally {
      System.clearProperty(PLACE);
    }
  }
}
