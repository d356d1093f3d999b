package dev.brownout.recover;

import java.util.Locale;

/**
 * The default {@link ProblemWriter}: a flat JSON object, escaped by hand so the module needs no
 * JSON library.
 */
final class JsonProblemWriter implements ProblemWriter {

  static final String CONTENT_TYPE = "application/problem+json";
  static final JsonProblemWriter INSTANCE = new JsonProblemWriter();

  private JsonProblemWriter() {}

  @Override
  public String write(Problem problem) {
    return "{\"type\":"
        + quote(problem.type())
        + ",\"title\":"
        + quote(problem.title())
        + ",\"status\":"
        + problem.status()
        + ",\"incident\":"
        + quote(problem.incident())
        + "}";
  }

  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        json.append('\\').append(c);
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        json.append(c);
      }
    }
    return json.append('"').toString();
  }
}
