package dev.brownout.degradation;

import dev.brownout.core.internal.LogText;
import dev.brownout.core.spi.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches read from a file, re-read on every refresh and applied when its content changes: the way a
 * Kubernetes ConfigMap is mounted into a pod. A file that does not parse is rejected as a whole, with
 * an error naming the line, and the last good state stays.
 *
 * <p>A {@code .json} file holds one object from feature names to switch texts; any other file holds
 * lines {@code name = switch} with {@code #} comments, and may end with the line {@code # end}:
 *
 * <pre>{@code
 * # features.properties
 * feed.recommendations = OFF by=alice for=30m reason=store is down
 * feed.avatars = ROLLOUT 25%
 * # end
 * }</pre>
 *
 * <pre>{@code
 * features.addSource(FileSwitchSource.of(Path.of("/etc/brownout/features.properties")));
 * }</pre>
 *
 * <p><b>Nothing is lost by accident.</b> Write the file by replacing it (write a temporary file in the
 * same directory, then rename it over the old one, as a ConfigMap update does), so that no reader ever
 * sees half of it. Once the source has applied the file, a file that is deleted, empty, or holds only
 * comments is an error that keeps the last good state; clearing every switch is said explicitly, with
 * {@code {}} in JSON or a properties file of just its {@code # end} line. A properties file that has
 * ended with {@code # end} once must always end with it, so a file cut short (an in-place rewrite read
 * half-way) is rejected rather than applied; a JSON file cut short never parses. A file larger than
 * {@link #maxSize} (default 1 MiB) is rejected after reading one byte more than the limit. Each problem
 * is reported once, counted in {@code brownout.switch.source.errors}, and again only when its cause
 * changes; the recovery is logged once.
 */
public final class FileSwitchSource implements SwitchSource {

  /** The largest file read by default, in bytes: 1 MiB, thousands of switches. */
  public static final int DEFAULT_MAX_SIZE = 1 << 20;

  /** The line that ends a properties file, and alone clears every switch it set. */
  static final String END = "# end";

  private static final Logger LOG = LoggerFactory.getLogger(FileSwitchSource.class);

  private final Path file;
  private final boolean json;
  private final int maxSize;
  private SwitchSink sink;

  // What the last reads found; guarded by this.
  private byte[] parsed;
  private String parsedProblem;
  private boolean applied;
  private boolean endLineSeen;
  private String reported;
  private boolean missingNoted;

  private FileSwitchSource(Path file, int maxSize) {
    this.file = file;
    this.json = file.getFileName() != null && file.getFileName().toString().endsWith(".json");
    this.maxSize = maxSize;
  }

  /** A source over {@code file}; it need not exist yet (until it does, the source sets nothing). */
  public static FileSwitchSource of(Path file) {
    return new FileSwitchSource(Settings.notNull("fileSwitchSource.file", file), DEFAULT_MAX_SIZE);
  }

  /**
   * This source with another size limit, in bytes (default {@link #DEFAULT_MAX_SIZE}): a larger file
   * is rejected, keeping the last good state. The limit bounds what one refresh reads and parses.
   */
  public FileSwitchSource maxSize(int bytes) {
    return new FileSwitchSource(file, Settings.atMost("fileSwitchSource.maxSize", Settings.positive("fileSwitchSource.maxSize", bytes), Integer.MAX_VALUE - 16));
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
      content = read();
    } catch (NoSuchFileException e) {
      missing("does not exist");
      return;
    } catch (Refused e) {
      report(e.getMessage());
      return;
    } catch (IOException e) {
      report("the file cannot be read: " + e);
      return;
    }
    if (!applied && isBlank(content)) {
      missing("is empty");
      return;
    }
    if (Arrays.equals(content, parsed)) {
      settle(parsedProblem);
      return;
    }
    Map<String, Switch> switches;
    try {
      switches = parse(new String(content, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      parsed = content;
      parsedProblem = e.getMessage();
      report(parsedProblem);
      return;
    }
    sink.replaceAll(switches);
    // Marked applied only once it is: content that could not be applied is read and tried again.
    parsed = content;
    parsedProblem = null;
    applied = true;
    settle(null);
  }

  /** The file's bytes, reading at most one byte over the limit; a device or a pipe is not read at all. */
  private byte[] read() throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (attributes.isDirectory()) {
      throw new Refused("the file is a directory");
    }
    if (!attributes.isRegularFile()) {
      throw new Refused("the file is not a regular file (a device, a pipe or a socket), so it is not read");
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(maxSize + 1);
    }
    if (content.length > maxSize) {
      long size = attributes.size();
      throw new Refused(
          (size > maxSize ? "the file is " + size + " bytes" : "the file holds more than " + maxSize + " bytes")
              + ", over the limit of "
              + maxSize
              + " bytes (FileSwitchSource.maxSize raises it)");
    }
    return content;
  }

  private static boolean isBlank(byte[] content) {
    for (byte b : content) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Switch> parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("the file is empty; a file that clears every switch says so with " + (json ? "{}" : "a line '" + END + "'"));
    }
    if (json) {
      return SwitchFiles.json(text);
    }
    SwitchFiles.Lines lines = SwitchFiles.lines(text);
    if (!lines.ended() && endLineSeen) {
      throw new IllegalArgumentException(
          "the file does not end with the line '" + END + "' that it ended with before: cut short, or read while being written (replace it by a rename)");
    }
    if (!lines.ended() && lines.switches().isEmpty() && applied) {
      throw new IllegalArgumentException("the file has no switches; a file that clears every switch says so with a line '" + END + "'");
    }
    endLineSeen |= lines.ended();
    return lines.switches();
  }

  /**
   * A file that is not there, or empty: before anything was applied it sets nothing (noted once, not an
   * error: the file may be written later); after, it is an error that keeps the last good state.
   */
  private void missing(String state) {
    if (applied) {
      report("the file " + state + " (to clear every switch, write " + (json ? "{}" : "a file of just the line '" + END + "'") + ")");
    } else {
      reported = null; // a cause that comes back after this is a change, reported again
      if (!missingNoted) {
        missingNoted = true;
        LOG.info("switch source {}: the file {}; it sets nothing until it has switches", LogText.of(name()), state);
      }
    }
  }

  /** Reports {@code problem} unless it is the one reported last, so each cause is logged and counted once. */
  private void report(String problem) {
    if (!problem.equals(reported)) {
      reported = problem;
      sink.failed(problem, null);
    }
  }

  /** Takes {@code problem} (or none) as the file's state, logging the recovery from an earlier one. */
  private void settle(String problem) {
    if (problem != null) {
      report(problem);
    } else if (reported != null) {
      reported = null;
      LOG.info("switch source {}: the file is read again", LogText.of(name()));
    }
  }

  @Override
  public String toString() {
    return name();
  }

  /** A file this source does not read, or not whole: its message says why. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** The parsers, one per format; both report the line of the first problem. */
  static final class SwitchFiles {
    /** The most characters of a line an error message quotes. */
    private static final int QUOTED = 80;

    private SwitchFiles() {}

    /** The switches of a properties file, and whether it ends with its {@code # end} line. */
    record Lines(Map<String, Switch> switches, boolean ended) {}

    static Lines lines(String text) {
      Map<String, Switch> switches = new LinkedHashMap<>();
      Map<String, Integer> lineOf = new LinkedHashMap<>();
      String[] lines = text.split("\r?\n", -1);
      int endLine = 0;
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i].strip();
        if (endLine > 0 && !line.isEmpty()) {
          throw new IllegalArgumentException("line " + (i + 1) + ": text after the line '" + END + "' (line " + endLine + "), which ends the file");
        }
        if (line.equals(END)) {
          endLine = i + 1;
          continue;
        }
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
          continue;
        }
        int equals = line.indexOf('=');
        if (equals < 0) {
          throw new IllegalArgumentException("line " + (i + 1) + ": expected 'feature.name = SWITCH', got '" + quote(line) + "'");
        }
        put(switches, lineOf, i + 1, line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
      return new Lines(switches, endLine > 0);
    }

    /** {@code text} as a message quotes it: a line can be megabytes long. */
    private static String quote(String text) {
      return text.length() <= QUOTED ? text : text.substring(0, QUOTED) + "...(" + text.length() + " chars)";
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
    static Map<String, Switch> json(CharSequence text) {
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
    private final CharSequence text;
    private int at;
    // Lines are counted as the reader moves on, never from the start again: at only grows.
    private int countedTo;
    private int line = 1;

    Json(CharSequence text) {
      this.text = text;
    }

    /** The line the next token starts on. */
    int line() {
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
                value.append((char) Integer.parseInt(text.subSequence(at, at + 4).toString(), 16));
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
