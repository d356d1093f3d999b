package dev.brownout.recover;

/**
 * Writes the body of the response a client gets for an incident. The default writes {@code
 * application/problem+json}; a custom writer can shape the body to a house format. It is given the
 * {@link Problem} and nothing else (no throwable), so it cannot leak internals. If it throws, the
 * client gets the default body and the failure goes to the {@link IncidentLog}.
 *
 * <pre>{@code
 * ProblemWriter plain = new ProblemWriter() {
 *   public String write(Problem problem) {
 *     return "Something went wrong. Quote " + problem.incident() + " to support.";
 *   }
 *   public String contentType() {
 *     return "text/plain; charset=utf-8";
 *   }
 * };
 * Recover recover = Recover.builder().problemWriter(plain).build();
 * }</pre>
 */
@FunctionalInterface
public interface ProblemWriter {

  /** The body for {@code problem}; it is sent encoded as UTF-8. */
  String write(Problem problem) throws Exception;

  /** The body's media type; problem+json unless overridden. */
  default String contentType() {
    return JsonProblemWriter.CONTENT_TYPE;
  }

  /** The RFC 9457 JSON body: {@code {"type":…,"title":…,"status":…,"incident":…}}. */
  static ProblemWriter json() {
    return JsonProblemWriter.INSTANCE;
  }
}
