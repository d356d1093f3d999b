package dev.brownout.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON the admin speaks: a writer of maps, lists, strings, numbers, booleans and null, and a
 * reader of the small request bodies of the write endpoints. No dependency: the admin must not
 * choose a JSON library for the service that embeds it.
 */
final class Json {

  /** Nesting deeper than this is refused: request bodies are flat objects. */
  private static final int MAX_DEPTH = 8;

  private Json() {}

  static String write(@Nullable Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(out, text);
    } else if (value instanceof Double number) {
      out.append(number.isNaN() || number.isInfinite() ? "null" : number.toString());
    } else if (value instanceof Float number) {
      write(out, number.doubleValue());
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(out, String.valueOf(entry.getKey()));
        out.append(':');
        write(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Iterable<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(out, item);
      }
      out.append(']');
    } else {
      string(out, value.toString());
    }
  }

  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Escapes < > & too, so that a value can never close a script or start markup.
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /**
   * Reads {@code text} as one JSON object.
   *
   * @throws IllegalArgumentException naming the position, if it is not one
   */
  static Map<String, @Nullable Object> readObject(String text) {
    Reader reader = new Reader(text);
    reader.space();
    if (!reader.at('{')) {
      throw reader.error("expected a JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> object = (Map<String, @Nullable Object>) reader.value(1);
    reader.space();
    if (reader.position < text.length()) {
      throw reader.error("unexpected text after the object");
    }
    return object;
  }

  private static final class Reader {
    private final String text;
    private int position;

    Reader(String text) {
      this.text = text;
    }

    boolean at(char c) {
      return position < text.length() && text.charAt(position) == c;
    }

    void space() {
      while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
        position++;
      }
    }

    void expect(char c) {
      space();
      if (!at(c)) {
        throw error("expected '" + c + "'");
      }
      position++;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at character " + position + " of the body");
    }

    /** The value here; {@code depth} counts the objects and lists it would be inside of. */
    @Nullable Object value(int depth) {
      space();
      if (position >= text.length()) {
        throw error("the body ends early");
      }
      char c = text.charAt(position);
      if ((c == '{' || c == '[') && depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH);
      }
      if (c == '{') {
        position++;
        Map<String, @Nullable Object> object = new LinkedHashMap<>();
        space();
        if (at('}')) {
          position++;
          return object;
        }
        do {
          space();
          if (!at('"')) {
            throw error("expected a member name");
          }
          String name = string();
          expect(':');
          if (object.containsKey(name)) {
            throw error("member '" + name + "' appears twice");
          }
          object.put(name, value(depth + 1));
          space();
        } while (next(','));
        expect('}');
        return object;
      }
      if (c == '[') {
        position++;
        List<@Nullable Object> list = new ArrayList<>();
        space();
        if (at(']')) {
          position++;
          return list;
        }
        do {
          list.add(value(depth + 1));
          space();
        } while (next(','));
        expect(']');
        return list;
      }
      if (c == '"') {
        return string();
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (text.startsWith(word, position)) {
          position += word.length();
          return word.equals("null") ? null : Boolean.valueOf(word);
        }
      }
      return number();
    }

    private boolean next(char c) {
      if (at(c)) {
        position++;
        return true;
      }
      return false;
    }

    private Double number() {
      int start = position;
      while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
        position++;
      }
      try {
        return Double.valueOf(text.substring(start, position));
      } catch (NumberFormatException e) {
        position = start;
        throw error("expected a value");
      }
    }

    private String string() {
      position++; // the opening quote
      StringBuilder out = new StringBuilder();
      while (position < text.length()) {
        char c = text.charAt(position++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw error("a control character inside a string");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (position >= text.length()) {
          break;
        }
        char escaped = text.charAt(position++);
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (position + 4 > text.length()) {
              throw error("a \\u escape cut short");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
            } catch (NumberFormatException e) {
              throw error("a bad \\u escape");
            }
            position += 4;
          }
          default -> throw error("a bad escape");
        }
      }
      throw error("a string that does not end");
    }
  }
}
