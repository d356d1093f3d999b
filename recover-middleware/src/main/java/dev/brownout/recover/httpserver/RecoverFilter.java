package dev.brownout.recover.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.brownout.core.internal.Settings;
import dev.brownout.recover.Places;
import dev.brownout.recover.ProblemResponse;
import dev.brownout.recover.Recover;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Function;

/**
 * A filter for the JDK's built-in {@code HttpServer} that turns a crash inside the handler into an
 * incident and a problem response (or, if the response had already started, a closed connection).
 * Without it, a handler that throws leaves the client with no response at all, and an {@code Error}
 * can end the server's dispatcher thread (the one that runs handlers when no executor is set). A
 * fatal error (see {@link Recover}) is still rethrown, once the client has had a bare 500 and its
 * connection is closed.
 *
 * <pre>{@code
 * HttpContext orders = server.createContext("/orders", handler);
 * orders.getFilters().add(new RecoverFilter(Recover.of(brownout)));
 * }</pre>
 */
// "exports": the server's module is optional for this module (static, not transitive); an
// application that uses this filter reads that module already.
@SuppressWarnings("exports")
public final class RecoverFilter extends Filter {

  private final Recover recover;
  private final Function<? super HttpExchange, String> place;

  /** Names places by method and first path segment ({@link Places#http}). */
  public RecoverFilter(Recover recover) {
    this(
        recover,
        exchange ->
            Places.http(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()));
  }

  /**
   * Names places with {@code place}, which should return a route template rather than a raw path.
   */
  public RecoverFilter(Recover recover, Function<? super HttpExchange, String> place) {
    this.recover = Settings.notNull("RecoverFilter.recover", recover);
    this.place = Settings.notNull("RecoverFilter.place", place);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    try {
      chain.doFilter(exchange);
    } catch (Throwable thrown) {
      // The JDK server reports -1 until the handler has sent the status line and headers.
      boolean committed = exchange.getResponseCode() != -1;
      ProblemResponse problem;
      try {
        problem = recover.respond(placeOf(exchange), thrown, committed);
      } catch (VirtualMachineError fatal) {
        endBeforeRethrowing(exchange, committed);
        throw fatal;
      }
      // The request ends with this answer, so an interrupt flag the handler left set has had its
      // effect; kept, it would fail the blocking write below and, on the JDK server's dispatcher
      // thread, every request after this one.
      Thread.interrupted();
      answer(problem, exchange);
    }
  }

  @Override
  public String description() {
    return "Brownout recovery: a crash becomes an incident and a problem response";
  }

  private String placeOf(HttpExchange exchange) {
    try {
      return place.apply(exchange);
    } catch (RuntimeException broken) {
      return "unknown";
    }
  }

  /**
   * Ends the exchange of a fatal error that is about to be rethrown. The JDK server neither answers
   * nor closes a connection whose handler throws an {@code Error}, so without this the client waits
   * for as long as it cares to. An uncommitted response becomes a bare 500 that closes the
   * connection (no body, nothing the handler set); a committed one is closed as it stands, which
   * drops the connection of a fixed-length body cut short, though a chunked body ends at its last
   * full chunk. Best effort, allocating little: the JVM may be out of memory, and the error must go
   * on.
   */
  private static void endBeforeRethrowing(HttpExchange exchange, boolean committed) {
    try {
      if (!committed) {
        Headers headers = exchange.getResponseHeaders();
        headers.clear();
        headers.set("Connection", "close");
        exchange.sendResponseHeaders(500, -1);
      }
    } catch (Throwable unanswerable) {
      // The client cannot be answered; the close below still ends its wait.
    } finally {
      try {
        exchange.close();
      } catch (Throwable unclosable) {
        // Nothing more can be done for this client; the fatal error matters more.
      }
    }
  }

  private static void answer(ProblemResponse problem, HttpExchange exchange) throws IOException {
    if (problem.closesConnection()) {
      // The JDK server closes the connection when a handler throws an IOException.
      throw problem.abort();
    }
    Headers headers = exchange.getResponseHeaders();
    headers.clear(); // nothing the handler set before crashing reaches the client
    headers.set("Content-Type", problem.contentType());
    for (Map.Entry<String, String> header : problem.headers().entrySet()) {
      headers.set(header.getKey(), header.getValue());
    }
    byte[] body = problem.body();
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(problem.status(), -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(problem.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
