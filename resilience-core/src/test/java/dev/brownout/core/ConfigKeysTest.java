package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The runtime's start-up checks, with the process's system properties and environment given by
 * hand.
 */
class ConfigKeysTest {

  private static final String VARIABLE = "BROWNOUT_GUARD_ORDERS_PLACE_TIMEOUT_DURATION";

  @Test
  void aVariableUnderAPrefixBrownoutReadsFailsWhenTheConfigDoesNotReadTheEnvironment() {
    ConfigKeys keys = new ConfigKeys(ConfigSource.systemProperties());

    assertThatThrownBy(
            () ->
                keys.checkAtBuild(
                    new Properties(), Map.of(VARIABLE, "1s", "BROWNOUT_HOME", "/opt")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "environment variable "
                + VARIABLE
                + " is not read: this runtime's configuration is system properties;"
                + " add .config(ConfigSource.environment()) to Brownout.builder()");
  }

  @Test
  void aVariableTheConfigReadsPasses() {
    Map<String, String> variables = Map.of(VARIABLE, "1s");
    ConfigKeys keys =
        new ConfigKeys(
            ConfigSource.systemProperties()
                .or(ConfigSource.environment(variables, "test environment")));

    assertThatCode(() -> keys.checkAtBuild(new Properties(), variables)).doesNotThrowAnyException();
  }

  @Test
  void aSystemPropertyListedByAnotherSourcePasses() {
    // A source that adapts a framework's environment lists the system properties it sees.
    String key = "brownout.guard.Orders.place.timeout.duration";
    Properties properties = new Properties();
    properties.setProperty(key, "1s");
    ConfigKeys keys = new ConfigKeys(ConfigSource.of(Map.of(key, "1s"), "application environment"));

    assertThatCode(() -> keys.checkAtBuild(properties, Map.of())).doesNotThrowAnyException();
  }

  @Test
  void everyProblemIsListedAtOnce() {
    Properties properties = new Properties();
    properties.setProperty("brownout.features.refresh", "1s");
    ConfigKeys keys =
        new ConfigKeys(
            ConfigSource.of(Map.of("brownout.defaults.timeout.durration", "1s"), "test settings"));

    assertThatThrownBy(() -> keys.checkAtBuild(properties, Map.of()))
        .hasMessageStartingWith(
            "2 configuration problems:\n  brownout.defaults.timeout.durration = 1s (from test settings) is not a setting;")
        .hasMessageContaining("\n  system property brownout.features.refresh = 1s is not read");
  }

  @Test
  void editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    assertThat(ConfigKeys.editDistance("duration", "duration")).isZero();
    assertThat(ConfigKeys.editDistance("durration", "duration")).isEqualTo(1);
    assertThat(ConfigKeys.editDistance("duraton", "duration")).isEqualTo(1);
    assertThat(ConfigKeys.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(ConfigKeys.editDistance("", "abc")).isEqualTo(3);
  }
}
