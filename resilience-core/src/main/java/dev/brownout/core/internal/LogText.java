package dev.brownout.core.internal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Text made safe to put in a log line. Not API: shared by Brownout's modules, so that every module
 * neutralises by the same rules; {@code dev.brownout.recover.LogSafe} is the public face of the
 * same rules for code outside Brownout.
 *
 * <pre>{@code
 * LOG.warn("switch source {}: {}{}", LogText.of(name), LogText.neutralise(problem, LogText.MAX_MESSAGE_LENGTH), LogText.trailingTrace(cause));
 * }</pre>
 */
public final class LogText {

  /*
   * Why these rules. A log line is a record: whatever can end it or change how it is read lets a
   * text from outside (a request path, a switch's reason, a Redis record, an exception message that
   * quotes its input) forge a record of its own or hide one. So every character that a log backend,
   * a terminal or a log viewer may take as more than a glyph is written as an escape: C0 and C1
   * controls (CR, LF, ESC, NEL among them) and DEL, the Unicode line and paragraph separators, and
   * the bidirectional controls that make a viewer show text in another order than it is stored
   * (embeddings and overrides U+202A..U+202E, isolates U+2066..U+2069, and the marks U+200E, U+200F,
   * U+061C). The length is bounded too, since a text from outside can be megabytes: a cut keeps the
   * head, which says what the text is, and says how long the whole was.
   *
   * Throwables are rendered here rather than handed to the backend: a backend prints a throwable's
   * messages verbatim, and those messages quote input.
   */

  /**
   * The longest text kept by {@link #neutralise(String)}, in characters; longer text is cut and
   * marked.
   */
  public static final int MAX_LENGTH = 256;

  /** The longest text kept of a composed message (a source's problem, which quotes other texts). */
  public static final int MAX_MESSAGE_LENGTH = 1024;

  /** The longest stack trace {@link #stackTrace} renders, in characters (about 500 frames). */
  public static final int MAX_TRACE_LENGTH = 64 * 1024;

  /** Frames shown per throwable; a stack overflow has a thousand, all alike. */
  public static final int MAX_FRAMES = 128;

  /** Throwables (causes and suppressed, at any depth) shown in one trace. */
  public static final int MAX_THROWABLES = 32;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LogText() {}

  /**
   * {@code text} with control characters escaped ({@code \n} → {@code \\n}) and at most {@link
   * #MAX_LENGTH} characters kept.
   */
  public static String neutralise(String text) {
    return neutralise(text, MAX_LENGTH);
  }

  /** {@code text} neutralised, keeping at most {@code maxLength} of its characters. */
  public static String neutralise(String text, int maxLength) {
    if (text == null) {
      return "null";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), maxLength) + 16);
    int length = text.length();
    int kept = Math.min(length, maxLength);
    if (kept < length && kept > 0 && Character.isHighSurrogate(text.charAt(kept - 1))) {
      kept--; // never half a character
    }
    for (int i = 0; i < kept; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        safe.append("\\n");
      } else if (c == '\r') {
        safe.append("\\r");
      } else if (c == '\t') {
        safe.append("\\t");
      } else if (mustEscape(c)) {
        safe.append("\\u")
            .append(HEX[c >> 12])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        safe.append(c);
      }
    }
    if (kept < length) {
      safe.append("...(").append(length).append(" chars)");
    }
    return safe.toString();
  }

  /** Whether {@code c} may end a log line, drive a terminal, or reorder what a viewer shows. */
  static boolean mustEscape(char c) {
    return Character.isISOControl(c) // C0, DEL, C1 (ESC, NEL, CSI among them)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c';
  }

  /**
   * {@code value}'s text, neutralised; a {@code toString} that throws is described instead, so that
   * logging a value never breaks the work it observes.
   */
  public static String of(Object value) {
    String text;
    try {
      text = String.valueOf(value);
    } catch (Throwable broken) {
      rethrowIfFatal(broken);
      text =
          "[toString() of "
              + value.getClass().getName()
              + " threw "
              + broken.getClass().getName()
              + "]";
    }
    return neutralise(text);
  }

  /**
   * The {@linkplain #stackTrace trace} of {@code thrown} on the lines after a message, or nothing
   * when {@code thrown} is null: for a log call whose last placeholder ends the message.
   */
  public static String trailingTrace(Throwable thrown) {
    return thrown == null ? "" : "\n" + stackTrace(thrown);
  }

  /**
   * {@code thrown} as {@link Throwable#printStackTrace()} would show it, made safe to log: messages
   * {@linkplain #neutralise neutralised}, so every line but the first starts with a tab or {@code
   * "Caused by: "} and none can pass for a log line of its own; frames, causes and suppressed
   * throwables bounded; a cycle in the cause chain shown once; and a throwable whose accessors
   * throw described instead of breaking the rendering. Never throws, short of a fatal error.
   */
  public static String stackTrace(Throwable thrown) {
    Trace trace = new Trace();
    trace.write(thrown, new StackTraceElement[0], "", "");
    return trace.text();
  }

  /**
   * A {@link VirtualMachineError} other than a {@link StackOverflowError} means the JVM can no
   * longer be trusted, so describing it would hide it; the same rule as the recovery core's.
   */
  private static void rethrowIfFatal(Throwable thrown) {
    if (thrown instanceof VirtualMachineError fatal && !(thrown instanceof StackOverflowError)) {
      throw fatal;
    }
  }

  /** One rendering: the text so far and the throwables already shown, to cut cycles. */
  private static final class Trace {
    private final StringBuilder out = new StringBuilder(2048);
    private final Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean cut;

    void write(Throwable thrown, StackTraceElement[] enclosing, String caption, String prefix) {
      if (cut) {
        return;
      }
      if (thrown == null) {
        line(prefix + caption + "null");
        return;
      }
      if (!seen.add(thrown)) {
        line(prefix + caption + "[CIRCULAR REFERENCE: " + describe(thrown) + "]");
        return;
      }
      if (seen.size() > MAX_THROWABLES) {
        line(prefix + caption + describe(thrown) + " [more causes not shown]");
        return;
      }
      line(prefix + caption + describe(thrown));
      StackTraceElement[] frames = frames(thrown);
      int inCommon = framesInCommon(frames, enclosing);
      int own = frames.length - inCommon;
      int shown = Math.min(own, MAX_FRAMES);
      for (int i = 0; i < shown; i++) {
        line(prefix + "\tat " + neutralise(String.valueOf(frames[i])));
      }
      if (own > shown) {
        line(prefix + "\t... " + (own - shown) + " frames not shown");
      }
      if (inCommon > 0) {
        line(prefix + "\t... " + inCommon + " more");
      }
      for (Throwable suppressed : suppressed(thrown)) {
        write(suppressed, frames, "Suppressed: ", prefix + "\t");
      }
      Throwable cause = cause(thrown);
      if (cause != null) {
        write(cause, frames, "Caused by: ", prefix);
      }
    }

    private void line(String line) {
      if (cut) {
        return;
      }
      if (out.length() + line.length() > MAX_TRACE_LENGTH) {
        out.append("\t... trace cut at ").append(MAX_TRACE_LENGTH).append(" characters");
        cut = true;
        return;
      }
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(line);
    }

    String text() {
      return out.toString();
    }
  }

  /** "class: message", both neutralised; a message getter that throws is named, not followed. */
  private static String describe(Throwable thrown) {
    String type = neutralise(thrown.getClass().getName());
    String message;
    try {
      message = thrown.getMessage();
    } catch (Throwable broken) {
      rethrowIfFatal(broken);
      message = "[getMessage() threw " + broken.getClass().getName() + "]";
    }
    return message == null ? type : type + ": " + neutralise(message);
  }

  private static StackTraceElement[] frames(Throwable thrown) {
    try {
      StackTraceElement[] frames = thrown.getStackTrace();
      return frames == null ? new StackTraceElement[0] : frames;
    } catch (Throwable broken) {
      rethrowIfFatal(broken);
      return new StackTraceElement[0];
    }
  }

  private static Throwable[] suppressed(Throwable thrown) {
    try {
      return thrown.getSuppressed();
    } catch (Throwable broken) {
      rethrowIfFatal(broken);
      return new Throwable[0];
    }
  }

  private static Throwable cause(Throwable thrown) {
    try {
      return thrown.getCause();
    } catch (Throwable broken) {
      rethrowIfFatal(broken);
      return null;
    }
  }

  /**
   * How many frames at the bottom of {@code frames} repeat the enclosing trace (elided like the JDK
   * does).
   */
  private static int framesInCommon(StackTraceElement[] frames, StackTraceElement[] enclosing) {
    int m = frames.length - 1;
    int n = enclosing.length - 1;
    while (m >= 0 && n >= 0 && String.valueOf(frames[m]).equals(String.valueOf(enclosing[n]))) {
      m--;
      n--;
    }
    return frames.length - 1 - m;
  }
}
