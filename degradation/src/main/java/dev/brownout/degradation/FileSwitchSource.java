package dev.brownout.degradation;

import dev.brownout.core.spi.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Switches read from a file, re-read on every refresh and applied when its content changes: the way a
 * Kubernetes ConfigMap is mounted into a pod. A file that does not parse is rejected as a whole, with
 * an error naming the line, and the last good state stays. Write the file by replacing it (rename, as
 * a ConfigMap update does), so no reader ever sees half of it.
 *
 * <p>A {@code .json} file holds one object from feature names to switch texts; any other file holds
 * lines {@code name = switch} with {@code #} comments:
 *
 * <pre>{@code
 * # features.properties
 * feed.recommendations = OFF by=alice for=30m reason=store is down
 * feed.avatars = ROLLOUT 25%
 * }</pre>
 *
 * <pre>{@code
 * features.addSource(FileSwitchSource.of(Path.of("/etc/brownout/features.properties")));
 * }</pre>
 */
public final class FileSwitchSource implements SwitchSource {

  private final Path file;
  private final boolean json;
  private SwitchSink sink;
  private byte[] last;

  private FileSwitchSource(Path file) {
    this.file = file;
    this.json = file.getFileName() != null && file.getFileName().toString().endsWith(".json");
  }

  /** A source over {@code file}; it need not exist yet (until it does, the source sets nothing). */
  public static FileSwitchSource of(Path file) {
    return new FileSwitchSource(Settings.notNull("fileSwitchSource.file", file));
  }

  @Override
  public String name() {
    return "file:" + file;
  }

  @Override
  public synchronized void start(SwitchSink target) {
    this.sink = target;
    poll();
  }

  @Override
  public synchronized void poll() {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      content = new byte[0];
    } catch (IOException e) {
      if (last != null) {
        sink.failed("cannot read " + file + ": " + e.getMessage(), e);
      }
      return;
    }
    if (Arrays.equals(content, last)) {
      return;
    }
    Map<String, Switch> switches;
    try {
      String text = new String(content, StandardCharsets.UTF_8);
      switches = json ? SwitchFiles.json(text) : SwitchFiles.lines(text);
    } catch (IllegalArgumentException e) {
      last = content;
      sink.failed(file + " " + e.getMessage(), null);
      return;
    }
    sink.replaceAll(switches);
    // Marked applied only once it is: content that could not be applied is tried again.
    last = content;
  }

  @Override
  public String toString() {
    return name();
  }

  /** The parsers, one per format; both report the line of the first problem. */
  static final class SwitchFiles {
    private SwitchFiles() {}

    static Map<String, Switch> lines(String text) {
      Map<String, Switch> switches = new LinkedHashMap<>();
      Map<String, Integer> lineOf = new LinkedHashMap<>();
      String[] lines = text.split("\r?\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
          continue;
        }
        int equals = line.indexOf('=');
        if (equals < 0) {
          throw new IllegalArgumentException("line " + (i + 1) + ": expected 'feature.name = SWITCH', got '" + line + "'");
        }
        put(switches, lineOf, i + 1, line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
      return switches;
    }

    private static void put(Map<String, Switch> switches, Map<String, Integer> lineOf, int line, String name, String value) {
      try {
        FeatureName.of(name);
        Integer earlier = lineOf.putIfAbsent(name, line);
        if (earlier != null) {
          throw new IllegalArgumentException("feature '" + name + "' is set twice (first on line " + earlier + ")");
        }
        switches.put(name, Switch.parse(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
      }
    }

    /** A JSON object of strings: the only shape a switch file has, read strictly. */
    static Map<String, Switch> json(String text) {
      Json reader = new Json(text);
      Map<String, Switch> switches = new LinkedHashMap<>();
      Map<String, Integer> lineOf = new LinkedHashMap<>();
      reader.expect('{');
      if (!reader.consume('}')) {
        do {
          int line = reader.line();
          String name = reader.string();
          reader.expect(':');
          String value = reader.string();
          put(switches, lineOf, line, name, value);
        } while (reader.consume(','));
        reader.expect('}');
      }
      reader.end();
      return switches;
    }
  }

  /** Reads the tokens of a JSON object of strings, counting lines for messages. */
  private static final class Json {
    private final String text;
    private int at;

    Json(String text) {
      this.text = text;
    }

    /** The line the next token starts on. */
    int line() {
      skipSpace();
      return lineAt(at);
    }

    private int lineAt(int position) {
      int line = 1;
      for (int i = 0; i < Math.min(position, text.length()); i++) {
        if (text.charAt(i) == '\n') {
          line++;
        }
      }
      return line;
    }

    void skipSpace() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }

    boolean consume(char c) {
      skipSpace();
      if (at < text.length() && text.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!consume(c)) {
        throw problem("expected '" + c + "'");
      }
    }

    void end() {
      skipSpace();
      if (at != text.length()) {
        throw problem("unexpected text after the object");
      }
    }

    String string() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (at < text.length()) {
        char c = text.charAt(at++);
        if (c == '"') {
          return value.toString();
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
              if (at + 4 > text.length()) {
                throw problem("a \\u escape needs four hex digits");
              }
              try {
                value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
              } catch (NumberFormatException e) {
                throw problem("a \\u escape needs four hex digits");
              }
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

    private IllegalArgumentException problem(String what) {
      return new IllegalArgumentException("line " + lineAt(at) + ": " + what + " (a switch file in JSON is one object of strings: {\"feed.avatars\": \"ROLLOUT 25%\"})");
    }
  }
}
