package dev.brownout.recover;

import dev.brownout.core.internal.LogText;
import org.jspecify.annotations.Nullable;

/**
 * Makes client-controlled text safe to log: a path or header may carry CR/LF to forge log lines, or
 * megabytes to flood them. Control characters, line separators and bidirectional overrides become
 * escapes and the length is capped. The rules are the ones every Brownout module logs by.
 *
 * <p>Exception messages count as client text too ({@code NumberFormatException} quotes its input
 * verbatim), so {@link #stackTrace} renders a throwable with every message neutralised and the
 * whole trace bounded, instead of leaving that to a log backend that prints messages as they are.
 */
public final class LogSafe {

  /** The longest text kept, in characters; longer text is cut and marked. */
  public static final int MAX_LENGTH = LogText.MAX_LENGTH;

  /** The longest stack trace {@link #stackTrace} renders, in characters (about 500 frames). */
  public static final int MAX_TRACE_LENGTH = LogText.MAX_TRACE_LENGTH;

  /** Frames shown per throwable; a stack overflow has a thousand, all alike. */
  static final int MAX_FRAMES = LogText.MAX_FRAMES;

  /** Throwables (causes and suppressed, at any depth) shown in one trace. */
  static final int MAX_THROWABLES = LogText.MAX_THROWABLES;

  private LogSafe() {}

  /**
   * {@code text} with control characters (C0, C1, DEL), U+2028/U+2029 and bidirectional controls
   * escaped ({@code \n} → {@code \\n}, ESC → {@code \\u001b}) and at most {@link #MAX_LENGTH}
   * characters kept.
   */
  public static String neutralise(@Nullable String text) {
    return LogText.neutralise(text);
  }

  /**
   * {@code thrown} as {@link Throwable#printStackTrace()} would show it, with every message
   * {@linkplain #neutralise neutralised} and the whole bounded, so no line of it can pass for a log
   * line of its own. Never throws, short of a fatal error.
   */
  public static String stackTrace(Throwable thrown) {
    return LogText.stackTrace(thrown);
  }
}
