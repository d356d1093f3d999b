package dev.brownout.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request and its response, as an adapter hands it to {@link AdminApi}: the few things the
 * admin reads and writes, so that the API is written once for every server.
 */
interface Exchange {

  /** The method, upper case. */
  String method();

  /** The raw path from the root of the server (with the servlet context path taken off). */
  String path();

  /** The raw query, or null. */
  @Nullable String query();

  /** The first value of request header {@code name}, or null. */
  @Nullable String header(String name);

  /** Whether the client connects from a loopback address. */
  boolean fromLoopback();

  /** The request body; the admin reads at most its limit from it. */
  InputStream body() throws IOException;

  /** Answers with {@code body} (no body for a HEAD request). */
  void send(int status, Map<String, String> headers, byte[] body) throws IOException;

  /**
   * Answers 200 with a body of unknown length, to be written and flushed piece by piece, for an
   * event stream; closing the stream ends the response.
   */
  OutputStream stream(Map<String, String> headers) throws IOException;
}
