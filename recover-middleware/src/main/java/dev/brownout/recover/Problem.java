package dev.brownout.recover;

/**
 * What a client is told about an incident, as an RFC 9457 problem: a {@code type} URI, a short
 * {@code title}, the HTTP {@code status}, and the {@code incident} id to quote to support. It has
 * no room for a message, a class name or a stack trace on purpose: a {@link ProblemWriter} cannot
 * leak what it is never given.
 *
 * <pre>{@code
 * new Problem("about:blank", "Internal Server Error", 500, "inc-5k2x9q7m3h8w")
 * // {"type":"about:blank","title":"Internal Server Error","status":500,"incident":"inc-5k2x9q7m3h8w"}
 * }</pre>
 */
public record Problem(String type, String title, int status, String incident) {

  /**
   * The problem for {@code status}: type {@code about:blank}, so the title is the status's reason
   * phrase.
   */
  static Problem of(int status, String incident) {
    return new Problem("about:blank", title(status), status, incident);
  }

  /**
   * The reason phrase of an error status (RFC 9110), as RFC 9457 asks for with {@code about:blank}.
   */
  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status < 500 ? "Client Error" : "Server Error";
    };
  }
}
