package dev.brownout.recover;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * Makes client-controlled text safe to log: a path or header may carry CR/LF to forge log lines, or
 * megabytes to flood them. Control characters become escapes and the length is capped.
 *
 * <p>Exception messages count as client text too ({@code NumberFormatException} quotes its input
 * verbatim), so {@link #stackTrace} renders a throwable with every message neutralised and the whole
 * trace bounded, instead of leaving that to a log backend that prints messages as they are.
 */
public final class LogSafe {

  /** The longest text kept, in characters; longer text is cut and marked. */
  public static final int MAX_LENGTH = 256;

  /** The longest stack trace {@link #stackTrace} renders, in characters (about 500 frames). */
  public static final int MAX_TRACE_LENGTH = 64 * 1024;

  /** Frames shown per throwable; a stack overflow has a thousand, all alike. */
  static final int MAX_FRAMES = 128;

  /** Throwables (causes and suppressed, at any depth) shown in one trace. */
  static final int MAX_THROWABLES = 32;

  private LogSafe() {}

  /** {@code text} with control characters escaped ({@code \n} → {@code \\n}) and at most {@link #MAX_LENGTH} characters kept. */
  public static String neutralise(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 16);
    int kept = 0;
    for (int i = 0; i < text.length(); i++) {
      if (kept >= MAX_LENGTH) {
        safe.append("...(").append(text.length()).append(" chars)");
        break;
      }
      char c = text.charAt(i);
      if (c == '\n') {
        safe.append("\\n");
      } else if (c == '\r') {
        safe.append("\\r");
      } else if (c == '\t') {
        safe.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        safe.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        safe.append(c);
      }
      kept++;
    }
    return safe.toString();
  }

  /**
   * {@code thrown} as {@link Throwable#printStackTrace()} would show it, made safe to log: messages
   * {@linkplain #neutralise neutralised}, so every line but the first starts with a tab or {@code
   * "Caused by: "} and none can pass for a log line of its own; frames, causes and suppressed
   * throwables bounded; a cycle in the cause chain shown once; and a throwable whose accessors throw
   * described instead of breaking the rendering. Never throws, short of a fatal error.
   */
  public static String stackTrace(Throwable thrown) {
    Trace trace = new Trace();
    trace.write(thrown, new StackTraceElement[0], "", "");
    return trace.text();
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
      Fatal.rethrowIfFatal(broken);
      message = "[getMessage() threw " + broken.getClass().getName() + "]";
    }
    return message == null ? type : type + ": " + neutralise(message);
  }

  private static StackTraceElement[] frames(Throwable thrown) {
    try {
      StackTraceElement[] frames = thrown.getStackTrace();
      return frames == null ? new StackTraceElement[0] : frames;
    } catch (Throwable broken) {
      Fatal.rethrowIfFatal(broken);
      return new StackTraceElement[0];
    }
  }

  private static Throwable[] suppressed(Throwable thrown) {
    try {
      return thrown.getSuppressed();
    } catch (Throwable broken) {
      Fatal.rethrowIfFatal(broken);
      return new Throwable[0];
    }
  }

  private static Throwable cause(Throwable thrown) {
    try {
      return thrown.getCause();
    } catch (Throwable broken) {
      Fatal.rethrowIfFatal(broken);
      return null;
    }
  }

  /** How many frames at the bottom of {@code frames} repeat the enclosing trace (elided like the JDK does). */
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
