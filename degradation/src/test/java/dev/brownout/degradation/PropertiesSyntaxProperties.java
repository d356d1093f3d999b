package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A switch file in properties syntax is what {@link Properties} reads: the reader agrees with
 * {@code Properties.load} on every text built from the syntax's pieces, and settings written by
 * {@code Properties.store} read back to the same switches.
 */
class PropertiesSyntaxProperties {

  /** The pieces a text is made of: every separator, blank, line end, escape and continuation. */
  private static final List<String> PIECES =
      List.of(
          "a",
          "b",
          "feed",
          ".",
          "x",
          "ON",
          "OFF",
          " ",
          "  ",
          "\t",
          "\f",
          "=",
          ":",
          "\n",
          "\r",
          "\r\n",
          "\\",
          "\\\\",
          "\\\n",
          "\\\r\n",
          "\\\n   ",
          "#",
          "!",
          "# end",
          "\\u0041",
          "\\u00e9",
          "\\u00",
          "\\uZZZZ",
          "\\t",
          "\\=",
          "\\:",
          "\\ ",
          "reason=x",
          "é");

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of(PIECES).list().ofMaxSize(30).map(pieces -> String.join("", pieces));
  }

  @Property(tries = 3000)
  void theReaderFindsWhatPropertiesLoadFinds(@ForAll("texts") String text) throws IOException {
    Map<String, String> expected = new HashMap<>();
    Throwable propertiesFailure =
        catchThrowable(() -> load(text).forEach((k, v) -> expected.put((String) k, (String) v)));
    Map<String, String> found = new LinkedHashMap<>();
    Throwable readerFailure =
        catchThrowable(
            () ->
                PropertiesReader.read(
                    text,
                    (line, key, value) -> {
                      if (found.putIfAbsent(key, value) != null) {
                        throw new IllegalArgumentException(
                            "line " + line + ": '" + key + "' set twice");
                      }
                    }));

    if (propertiesFailure != null) {
      assertThat(readerFailure)
          .as("Properties refused %s", text)
          .isInstanceOf(IllegalArgumentException.class);
    } else if (readerFailure == null) {
      assertThat(found)
          .as("the entries of %s", text.replace("\n", "\\n").replace("\r", "\\r"))
          .isEqualTo(expected);
    } else {
      assertThat(readerFailure.getMessage())
          .as("what Properties reads and the reader refuses: %s", text)
          .containsAnyOf("set twice", "after the line '# end'");
    }
  }

  @Provide
  Arbitrary<Map<String, Switch>> settings() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .withCharRange('a', 'e')
            .ofMinLength(1)
            .ofMaxLength(3)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(words -> String.join(".", words));
    Arbitrary<String> texts =
        Arbitraries.strings()
            .withChars("ab =:#!\\\té€")
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(t -> !t.isBlank());
    Arbitrary<Switch> off =
        Combinators.combine(
                texts, Arbitraries.of("alice", "ops"), Arbitraries.integers().between(1, 600))
            .as(
                (reason, by, minutes) ->
                    Switch.off(reason).by(by).lasting(Duration.ofMinutes(minutes)));
    Arbitrary<Switch> until =
        texts.map(reason -> Switch.off(reason).until(Instant.parse("2030-01-01T00:00:00Z")));
    Arbitrary<Switch> rollout =
        Arbitraries.integers()
            .between(0, 10_000)
            .map(hundredths -> Switch.rollout(hundredths / 100.0));
    Arbitrary<Switch> any =
        Arbitraries.oneOf(
            off,
            until,
            rollout,
            Arbitraries.of(Switch.on(), Switch.auto()),
            texts.map(r -> Switch.on().because(r)));
    return Arbitraries.maps(names, any).ofMaxSize(8);
  }

  @Property(tries = 500)
  void settingsStoredByPropertiesReadBackEqual(@ForAll("settings") Map<String, Switch> settings)
      throws IOException {
    Properties properties = new Properties();
    settings.forEach((feature, setting) -> properties.setProperty(feature, setting.toString()));
    StringWriter written = new StringWriter();
    properties.store(written, "switches");

    assertThat(SwitchFile.properties(written.toString()).switches()).isEqualTo(settings);
  }

  private static Properties load(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }
}
