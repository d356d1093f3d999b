package dev.brownout.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class LogTextTest {

  private static boolean escaped(int c) {
    return Character.isISOControl(c)
        || c == 0x2028
        || c == 0x2029
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }

  @Test
  void escapesLineBreaksAsTheyAreWritten() {
    assertThat(LogText.neutralise("a\r\nb\tc")).isEqualTo("a\\r\\nb\\tc");
  }

  @Test
  void escapesTerminalControlsAndTheLineSeparatorsOfUnicode() {
    assertThat(LogText.neutralise("\u001b[2J\u0085\u009b\u007f\u0000\u2028\u2029"))
        .isEqualTo("\\u001b[2J\\u0085\\u009b\\u007f\\u0000\\u2028\\u2029");
  }

  @Test
  void escapesBidirectionalControlsSoAViewerShowsTheTextInItsOrder() {
    assertThat(LogText.neutralise("admin\u202e\u2066\u2069\u202a\u200f\u061c"))
        .isEqualTo("admin\\u202e\\u2066\\u2069\\u202a\\u200f\\u061c");
  }

  @Test
  void keepsOrdinaryTextOfAnyScript() {
    assertThat(LogText.neutralise("Zürich 東京 \uD83D\uDE00 ok"))
        .isEqualTo("Zürich 東京 \uD83D\uDE00 ok");
  }

  @Test
  void cutsLongTextAndSaysHowLongItWas() {
    assertThat(LogText.neutralise("x".repeat(1000)))
        .isEqualTo("x".repeat(LogText.MAX_LENGTH) + "...(1000 chars)");
    assertThat(LogText.neutralise("y".repeat(2000), LogText.MAX_MESSAGE_LENGTH))
        .hasSize(LogText.MAX_MESSAGE_LENGTH + "...(2000 chars)".length());
  }

  @Test
  void neverCutsACharacterInHalf() {
    String text = "x".repeat(LogText.MAX_LENGTH - 1) + "\uD83D\uDE00" + "tail";

    assertThat(LogText.neutralise(text))
        .isEqualTo("x".repeat(LogText.MAX_LENGTH - 1) + "...(" + text.length() + " chars)");
  }

  @Test
  void describesAValueWhoseToStringThrows() {
    Object hostile =
        new Object() {
          @Override
          public String toString() {
            throw new IllegalStateException("broken");
          }
        };

    assertThat(LogText.of(hostile))
        .startsWith("[toString() of ")
        .endsWith(" threw java.lang.IllegalStateException]");
    assertThat(LogText.of(null)).isEqualTo("null");
  }

  @Test
  void aTrailingTraceIsNothingWithoutAThrowable() {
    assertThat(LogText.trailingTrace(null)).isEmpty();
    assertThat(LogText.trailingTrace(new IllegalStateException("a\nb")))
        .startsWith("\njava.lang.IllegalStateException: a\\nb\n\tat ");
  }

  @Property(tries = 1000)
  void neutralisedTextHoldsNoCharacterThatMustBeEscapedAndIsBounded(@ForAll String text) {
    String safe = LogText.neutralise(text);

    assertThat(safe.chars().filter(LogTextTest::escaped)).isEmpty();
    assertThat(safe.length()).isLessThanOrEqualTo(LogText.MAX_LENGTH * 6 + 32);
  }

  @Property(tries = 1000)
  void everyCharacterThatMustBeEscapedIsEscaped(@ForAll char c) {
    String safe = LogText.neutralise("a" + c + "b");

    assertThat(safe).isEqualTo(escaped(c) ? "a" + escape(c) + "b" : "a" + c + "b");
  }

  private static String escape(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> String.format(Locale.ROOT, "\\u%04x", (int) c);
    };
  }
}
