package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchFileParsing;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16, switch-file finding 3: the JSON reader was lenient where RFC 8259 is not: it read
 * <code>"&#92;u+04fN"</code> as {@code "ON"} (a four-digit escape took a sign), took any Unicode
 * space between tokens, let a lone surrogate through, and met a trailing comma with a message about
 * a quote. Each is now an error naming the line and what is wrong.
 */
class StrictJsonTest {

  @ParameterizedTest
  @ValueSource(strings = {"\\u+04fN", "\\u-04fN", "\\u 04fN", "\\u04f", "\\u004G"})
  void aUnicodeEscapeIsExactlyFourHexDigits(String escaped) {
    assertThatThrownBy(() -> SwitchFileParsing.json("{\"a\": \"" + escaped + "\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1: a \\u escape needs four hex digits");
  }

  @Test
  void aTrailingCommaIsNamed() {
    assertThatThrownBy(() -> SwitchFileParsing.json("{\n  \"a\": \"ON\",\n}"))
        .hasMessageStartingWith("line 3: a trailing comma before '}'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u2003", "\u00a0", "\u000b", "\u001c", "\u3000", "\u2028"})
  void onlyJsonWhitespaceSeparatesTokens(String space) {
    assertThatThrownBy(() -> SwitchFileParsing.json("{" + space + "\"a\": \"ON\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 1: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud800\\ud800"})
  void aLoneSurrogateIsRefused(String escaped) {
    assertThatThrownBy(() -> SwitchFileParsing.json("{\"a\": \"OFF reason=x" + escaped + "\"}"))
        .hasMessageStartingWith("line 1: a lone surrogate");
  }

  @Test
  void aPairedSurrogateIsOneCharacter() {
    assertThat(SwitchFileParsing.json("{\"a\": \"OFF reason=\\ud83d\\ude00\"}"))
        .containsExactly(Map.entry("a", Switch.off("\ud83d\ude00")));
  }

  @Test
  void aDuplicateKeyNamesTheKey() {
    assertThatThrownBy(() -> SwitchFileParsing.json("{\"a\": \"ON\",\n \"a\": \"OFF\"}"))
        .hasMessage("line 2: feature 'a' is set twice (first on line 1)");
  }
}
