package dev.brownout.degradation;

import java.util.Locale;

/**
 * Reads a switch file in JSON: one object from feature names to switch texts, and nothing else.
 *
 * <p>Strict where RFC 8259 is strict, because a lenient reader applies what the operator did not
 * write: a <code>&#92;u</code> escape is exactly four hex digits (a sign or a space is not one),
 * only space, tab, CR and LF separate tokens (not the other Unicode spaces), control characters
 * inside a string are escaped, a comma is followed by another entry, and a string holds no lone
 * surrogate (RFC 8259 leaves its meaning open; I-JSON, RFC 7493, forbids it). A key given twice is
 * an error naming the key rather than a silent choice. Every error names the line; lines are
 * counted as the reader moves on, never from the start again, so reading is linear in the size of
 * the file.
 */
final class JsonReader {

  private final CharSequence text;
  private int at;
  private int countedTo;
  private int line = 1;

  private JsonReader(CharSequence text) {
    this.text = text;
  }

  static SwitchFile read(CharSequence text) {
    JsonReader reader = new JsonReader(text);
    SwitchFile.Entries entries = new SwitchFile.Entries();
    reader.expect('{');
    if (!reader.consume('}')) {
      while (true) {
        int line = reader.line();
        String name = reader.string();
        reader.expect(':');
        entries.put(line, name, reader.string());
        if (!reader.consume(',')) {
          break;
        }
        if (reader.next() == '}') {
          throw reader.problem("a trailing comma before '}'");
        }
      }
      reader.expect('}');
    }
    reader.end();
    return entries.file(false);
  }

  /** The line the next token starts on. */
  private int line() {
    skipSpace();
    return lineAt(at);
  }

  private int lineAt(int position) {
    for (int end = Math.min(position, text.length()); countedTo < end; countedTo++) {
      if (text.charAt(countedTo) == '\n') {
        line++;
      }
    }
    return line;
  }

  private void skipSpace() {
    while (at < text.length() && isSpace(text.charAt(at))) {
      at++;
    }
  }

  /** JSON's whitespace (RFC 8259, section 2): nothing else separates tokens. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  /** The next character after whitespace, or -1 at the end. */
  private int next() {
    skipSpace();
    return at < text.length() ? text.charAt(at) : -1;
  }

  private boolean consume(char c) {
    if (next() == c) {
      at++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw problem(
          at < text.length() && !isSpace(text.charAt(at)) && Character.isWhitespace(text.charAt(at))
              ? "a space that JSON does not allow (U+"
                  + String.format(Locale.ROOT, "%04X", (int) text.charAt(at))
                  + "); only space, tab, CR and LF separate tokens"
              : "expected '" + c + "'");
    }
  }

  private void end() {
    if (next() != -1) {
      throw problem("unexpected text after the object");
    }
  }

  private String string() {
    expect('"');
    StringBuilder value = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return noLoneSurrogate(value);
      }
      if (c == '\\') {
        if (at >= text.length()) {
          break;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case '"', '\\', '/' -> value.append(escaped);
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'u' -> {
            int code = at + 4 <= text.length() ? SwitchFile.hex4(text, at) : -1;
            if (code < 0) {
              throw problem("a \\u escape needs four hex digits");
            }
            value.append((char) code);
            at += 4;
          }
          default -> throw problem("unknown escape \\" + escaped);
        }
      } else if (c < 0x20) {
        throw problem("a control character inside a string");
      } else {
        value.append(c);
      }
    }
    throw problem("a string that never ends");
  }

  /** {@code value}, unless it holds a surrogate that is not half of a pair. */
  private String noLoneSurrogate(CharSequence value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw problem(
            "a lone surrogate (U+"
                + String.format(Locale.ROOT, "%04X", (int) c)
                + ") in a string: it is half of a character");
      }
    }
    return value.toString();
  }

  private IllegalArgumentException problem(String what) {
    return new IllegalArgumentException(
        "line "
            + lineAt(at)
            + ": "
            + what
            + " (a switch file in JSON is one object of strings: {\"feed.avatars\": \"ROLLOUT 25%\"})");
  }
}
