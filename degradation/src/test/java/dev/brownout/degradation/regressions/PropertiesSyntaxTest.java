package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchFileParsing;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, switch-file finding 1: the "properties" switch file was not {@code
 * java.util.Properties} syntax: {@code key: value}, {@code key value} and {@code \} continuations
 * were rejected, and unicode escapes were read raw. It is read as {@link
 * Properties#load(java.io.Reader)} reads it, with the settings of a switch in the value and {@code
 * # end} a comment that ends the file.
 */
class PropertiesSyntaxTest {

  private static final String FILE =
      """
      # the switches of the feed
      ! a comment in the other style
      feed.recommendations: OFF by=alice \\
          for=30m \\
          reason=store is down
      feed.avatars ROLLOUT 25%
        feed.beta\t=\tOFF reason=caf\\u00e9 is closed
      feed.search=ON
      # end
      """;

  @Test
  void everySeparatorContinuationAndEscapeOfPropertiesIsRead() throws Exception {
    Map<String, Switch> switches = SwitchFileParsing.properties(FILE);

    assertThat(switches)
        .containsExactly(
            Map.entry(
                "feed.recommendations",
                Switch.off("store is down").by("alice").lasting(Duration.ofMinutes(30))),
            Map.entry("feed.avatars", Switch.rollout(25)),
            Map.entry("feed.beta", Switch.off("café is closed")),
            Map.entry("feed.search", Switch.on()));
    assertThat(SwitchFileParsing.ended(FILE)).isTrue();
  }

  @Test
  void javaUtilPropertiesReadsTheSameEntries() throws Exception {
    Properties properties = new Properties();
    properties.load(new StringReader(FILE));

    Map<String, Switch> switches = SwitchFileParsing.properties(FILE);

    assertThat(properties.stringPropertyNames())
        .containsExactlyInAnyOrderElementsOf(switches.keySet());
    switches.forEach(
        (feature, setting) ->
            assertThat(Switch.parse(properties.getProperty(feature))).isEqualTo(setting));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\\u+04f=ON\n", "a=\\u00\n", "a=O\\uNNNN\n"})
  void aMalformedUnicodeEscapeNamesItsLine(String text) {
    assertThatThrownBy(() -> SwitchFileParsing.properties("# first\n" + text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 2: ")
        .hasMessageContaining("\\u");
  }

  @Test
  void anInvalidEntryIsReportedByNameWithItsValue() {
    assertThatThrownBy(() -> SwitchFileParsing.properties("a = ON\nfeed.beta: DIMMED by=alice\n"))
        .hasMessageStartingWith("line 2: feature feed.beta: ")
        .hasMessageContaining("'DIMMED by=alice'");
  }

  @Test
  void aFeatureSetTwiceIsAnErrorRatherThanTheLastOneWinning() {
    assertThatThrownBy(() -> SwitchFileParsing.properties("a = OFF \\\n  reason=one\na: ON\n"))
        .hasMessage("line 3: feature 'a' is set twice (first on line 1)");
  }
}
