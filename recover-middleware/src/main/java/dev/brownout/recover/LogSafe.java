package dev.brownout.recover;

/**
 * Makes client-controlled text safe to log: a path or header may carry CR/LF to forge log lines, or
 * megabytes to flood them. Control characters become escapes and the length is capped.
 */
public final class LogSafe {

  /** The longest text kept, in characters; longer text is cut and marked. */
  public static final int MAX_LENGTH = 256;

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
        safe.append(String.format("\\u%04x", (int) c));
      } else {
        safe.append(c);
      }
      kept++;
    }
    return safe.toString();
  }
}
