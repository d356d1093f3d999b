package dev.brownout.recover;

import java.io.IOException;
import java.util.Map;

/**
 * What a server adapter sends for an incident, decided by {@link Recover#respond}: either a problem
 * response (status, headers, body) to write in place of whatever the handler had buffered, or, when
 * the handler had already started the response, nothing at all: the adapter then closes the
 * connection by throwing {@link #abort()}, since a second body glued to half of the first would
 * reach the client as one corrupt response.
 *
 * <pre>{@code
 * ProblemResponse problem = recover.respond("GET /orders", thrown, response.isCommitted());
 * if (problem.closesConnection()) {
 *   throw problem.abort();
 * }
 * response.setStatus(problem.status());
 * response.setContentType(problem.contentType());
 * problem.headers().forEach(response::setHeader);
 * response.getOutputStream().write(problem.body());
 * }</pre>
 */
public final class ProblemResponse {

  private final Incident incident;
  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Map<String, String> headers;

  private ProblemResponse(
      Incident incident, int status, String contentType, byte[] body, Map<String, String> headers) {
    this.incident = incident;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.headers = headers;
  }

  static ProblemResponse of(
      Incident incident, int status, String contentType, byte[] body, Map<String, String> headers) {
    return new ProblemResponse(incident, status, contentType, body, Map.copyOf(headers));
  }

  static ProblemResponse closing(Incident incident) {
    return new ProblemResponse(incident, 0, "", new byte[0], Map.of());
  }

  public Incident incident() {
    return incident;
  }

  /** True when the response had already started: send nothing, throw {@link #abort()}. */
  public boolean closesConnection() {
    return incident.outcome() == Incident.Outcome.CONNECTION_CLOSED;
  }

  /** The HTTP status: 500, or the status mapped to the throwable's type; 0 when closing. */
  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  /** The encoded body (a copy); empty when closing. */
  public byte[] body() {
    return body.clone();
  }

  /** Headers to set besides the content type: the incident id, if so configured. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The exception for an adapter to throw when {@link #closesConnection()}: servlet containers and
   * the JDK server both answer an {@link IOException} from a handler by dropping the connection,
   * and log it as one line without a stack. It carries only the incident id, and has no stack trace
   * of its own.
   */
  public IOException abort() {
    return new ConnectionClosed(incident.id());
  }

  /**
   * Stackless: it marks a decision, not a fault, and the fault's trace is already in the incident's
   * log line.
   */
  private static final class ConnectionClosed extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectionClosed(String incident) {
      super(
          "incident "
              + incident
              + ": the response had already started, so the connection is closed");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  @Override
  public String toString() {
    return closesConnection()
        ? "ProblemResponse[" + incident.id() + ", close the connection]"
        : "ProblemResponse[" + incident.id() + ", " + status + " " + contentType + "]";
  }
}
