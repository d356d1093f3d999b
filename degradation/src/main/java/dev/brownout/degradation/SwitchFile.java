package dev.brownout.degradation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one read of a switch file holds: its switches by feature name, in file order, and whether a
 * properties file ends with its {@code # end} line. Both formats go through {@link Entries}, so a
 * feature name, a duplicate and a switch are checked the same way, and every problem names its
 * line.
 */
record SwitchFile(Map<String, Switch> switches, boolean ended) {

  /** The comment line that ends a properties file, and alone clears every switch it set. */
  static final String END = "# end";

  /**
   * The most characters of a file's text that an error message quotes: a line can be megabytes
   * long.
   */
  private static final int QUOTED = 80;

  /** A properties file, read as {@link java.util.Properties#load(java.io.Reader)} reads it. */
  static SwitchFile properties(String text) {
    Entries entries = new Entries();
    boolean ended = PropertiesReader.read(text, entries::put);
    return entries.file(ended);
  }

  /** A JSON file: one object from feature names to switch texts, read strictly (RFC 8259). */
  static SwitchFile json(CharSequence text) {
    return JsonReader.read(text);
  }

  /** {@code text} as a message quotes it, cut to {@value #QUOTED} characters. */
  static String quote(String text) {
    return text.length() <= QUOTED
        ? text
        : text.substring(0, QUOTED) + "...(" + text.length() + " chars)";
  }

  /**
   * The four ASCII hex digits at {@code from} as a number, or -1 if they are not four hex digits.
   */
  static int hex4(CharSequence text, int from) {
    int value = 0;
    for (int i = from; i < from + 4; i++) {
      char c = text.charAt(i);
      int digit =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (digit < 0) {
        return -1;
      }
      value = value << 4 | digit;
    }
    return value;
  }

  /**
   * The entries of one file as its reader finds them: each checked, and its line kept for messages.
   */
  static final class Entries {
    private final Map<String, Switch> switches = new LinkedHashMap<>();
    private final Map<String, Integer> lineOf = new LinkedHashMap<>();

    /** Adds feature {@code name} set to {@code value} on {@code line}, or fails naming both. */
    void put(int line, String name, String value) {
      try {
        FeatureName.of(name);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
      }
      Integer earlier = lineOf.putIfAbsent(name, line);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "line "
                + line
                + ": feature '"
                + name
                + "' is set twice (first on line "
                + earlier
                + ")");
      }
      try {
        switches.put(name, Switch.parse(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "line " + line + ": feature " + name + ": " + e.getMessage(), e);
      }
    }

    SwitchFile file(boolean ended) {
      return new SwitchFile(Collections.unmodifiableMap(switches), ended);
    }
  }
}
