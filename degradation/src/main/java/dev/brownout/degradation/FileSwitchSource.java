package dev.brownout.degradation;

import dev.brownout.core.internal.LogText;
import dev.brownout.core.internal.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches read from a file, re-read on every refresh and applied when its content changes: the way
 * a Kubernetes ConfigMap is mounted into a pod. A file that does not parse is rejected as a whole,
 * with an error naming the line, and the last good state stays.
 *
 * <p>A file whose name ends in {@code .json} (in any case) holds one strict JSON object from
 * feature names to switch texts. Any other file is in {@link java.util.Properties} syntax, read as
 * UTF-8: the key is the feature, the value its switch text ({@link Switch#parse}); {@code =},
 * {@code :} or a blank separate them, a trailing {@code \} continues a line, {@code #} and {@code
 * !} start comments, and <code>&#92;uXXXX</code> escapes work. The comment line {@code # end} marks
 * the end of the file ({@code Properties} ignores it like any comment). A feature set twice is an
 * error, where {@code Properties} would keep the last.
 *
 * <pre>{@code
 * # features.properties
 * feed.recommendations: OFF by=alice for=30m \
 *     reason=store is down
 * feed.avatars = ROLLOUT 25%
 * # end
 * }</pre>
 *
 * <pre>{@code
 * features.addSource(FileSwitchSource.of(Path.of("/etc/brownout/features.properties")));
 * }</pre>
 *
 * <p><b>Nothing is lost by accident.</b> Write the file by replacing it (write a temporary file in
 * the same directory, then rename it over the old one, as a ConfigMap update does), so that no
 * reader ever sees half of it. Once the source has applied the file, a file that is deleted, empty,
 * or holds only comments is an error that keeps the last good state; clearing every switch is said
 * explicitly, with {@code {}} in JSON or a properties file of just its {@code # end} line. A
 * properties file that has ended with {@code # end} once must always end with it, so a file cut
 * short (an in-place rewrite read half-way) is rejected rather than applied; a JSON file cut short
 * never parses. A file larger than {@link #maxSize} (default 1 MiB) is rejected after reading one
 * byte more than the limit. Each problem is reported once, counted in {@code
 * brownout.switch.source.errors}, and again only when its cause changes; the recovery is logged
 * once.
 */
public final class FileSwitchSource implements SwitchSource {

  /** The largest file read by default, in bytes: 1 MiB, thousands of switches. */
  public static final int DEFAULT_MAX_SIZE = 1 << 20;

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
    this.json =
        file.getFileName() != null
            && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    this.maxSize = maxSize;
  }

  /** A source over {@code file}; it need not exist yet (until it does, the source sets nothing). */
  public static FileSwitchSource of(Path file) {
    return new FileSwitchSource(Settings.notNull("fileSwitchSource.file", file), DEFAULT_MAX_SIZE);
  }

  /**
   * This source with another size limit, in bytes (default {@link #DEFAULT_MAX_SIZE}): a larger
   * file is rejected, keeping the last good state. The limit bounds what one refresh reads and
   * parses.
   */
  public FileSwitchSource maxSize(int bytes) {
    return new FileSwitchSource(
        file,
        Settings.atMost(
            "fileSwitchSource.maxSize",
            Settings.positive("fileSwitchSource.maxSize", bytes),
            Integer.MAX_VALUE - 16));
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
      switches = parse(decode(content));
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

  /**
   * The file's bytes, reading at most one byte over the limit; a device or a pipe is not read at
   * all.
   */
  private byte[] read() throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (attributes.isDirectory()) {
      throw new Refused("the file is a directory");
    }
    if (!attributes.isRegularFile()) {
      throw new Refused(
          "the file is not a regular file (a device, a pipe or a socket), so it is not read");
    }
    byte[] content;
    try (InputStream in = Files.newInputStream(file)) {
      content = in.readNBytes(maxSize + 1);
    }
    if (content.length > maxSize) {
      long size = attributes.size();
      throw new Refused(
          (size > maxSize
                  ? "the file is " + size + " bytes"
                  : "the file holds more than " + maxSize + " bytes")
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

  /**
   * {@code content} as UTF-8, or an error naming the first byte that is not: decoding with
   * replacement would apply a reason written in another encoding garbled, and tell nobody.
   */
  private static String decode(byte[] content) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(content);
    try {
      return decoder.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "the file is not UTF-8: byte "
              + (bytes.position() + 1)
              + " is not part of a UTF-8 character");
    }
  }

  private Map<String, Switch> parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(
          "the file is empty; a file that clears every switch says so with "
              + (json ? "{}" : "a line '" + SwitchFile.END + "'"));
    }
    if (json) {
      return SwitchFile.json(text).switches();
    }
    SwitchFile lines = SwitchFile.properties(text);
    if (!lines.ended() && endLineSeen) {
      throw new IllegalArgumentException(
          "the file does not end with the line '"
              + SwitchFile.END
              + "' that it ended with before: cut short, or read while being written (replace it by a rename)");
    }
    if (!lines.ended() && lines.switches().isEmpty() && applied) {
      throw new IllegalArgumentException(
          "the file has no switches; a file that clears every switch says so with a line '"
              + SwitchFile.END
              + "'");
    }
    endLineSeen |= lines.ended();
    return lines.switches();
  }

  /**
   * A file that is not there, or empty: before anything was applied it sets nothing (noted once,
   * not an error: the file may be written later); after, it is an error that keeps the last good
   * state.
   */
  private void missing(String state) {
    if (applied) {
      report(
          "the file "
              + state
              + " (to clear every switch, write "
              + (json ? "{}" : "a file of just the line '" + SwitchFile.END + "'")
              + ")");
    } else {
      reported = null; // a cause that comes back after this is a change, reported again
      if (!missingNoted) {
        missingNoted = true;
        LOG.info(
            "switch source {}: the file {}; it sets nothing until it has switches",
            LogText.of(name()),
            state);
      }
    }
  }

  /**
   * Reports {@code problem} unless it is the one reported last, so each cause is logged and counted
   * once.
   */
  private void report(String problem) {
    if (!problem.equals(reported)) {
      reported = problem;
      sink.failed(problem, null);
    }
  }

  /**
   * Takes {@code problem} (or none) as the file's state, logging the recovery from an earlier one.
   */
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
}
