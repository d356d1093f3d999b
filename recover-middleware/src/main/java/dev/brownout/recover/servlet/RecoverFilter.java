package dev.brownout.recover.servlet;

import dev.brownout.core.internal.Settings;
import dev.brownout.recover.Places;
import dev.brownout.recover.ProblemResponse;
import dev.brownout.recover.Recover;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/**
 * A Servlet filter that turns a crash inside the rest of the chain into an incident and a problem
 * response (or, if the response had already started, a closed connection). Map it first, for the
 * {@code REQUEST} dispatch, so it sees every other filter's crashes too.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new RecoverFilter(Recover.of(brownout))), "/*",
 *     EnumSet.of(DispatcherType.REQUEST));
 * // or name places after your routes:
 * new RecoverFilter(recover, request -> request.getMethod() + " " + router.template(request));
 * }</pre>
 *
 * <p>A fatal error (see {@link Recover}) is still rethrown, once an uncommitted response has become
 * a bare 500 that closes the connection, so no container error page shows its class or message.
 *
 * <p>Crashes in asynchronous processing (after {@code startAsync}) do not pass through a filter and
 * are not seen here.
 */
// "exports": the server's module is optional for this module (static, not transitive); an
// application that uses this filter reads that module already.
@SuppressWarnings("exports")
public final class RecoverFilter implements Filter {

  private final Recover recover;
  private final Function<? super HttpServletRequest, String> place;

  /**
   * Names places by method and the first segment of the path within the web application ({@link
   * Places#http}), so a context path does not make every route one place.
   */
  public RecoverFilter(Recover recover) {
    this(
        recover,
        request ->
            Places.http(
                request.getMethod(),
                request.getRequestURI().substring(request.getContextPath().length())));
  }

  /**
   * Names places with {@code place}, which should return a route template rather than a raw path.
   */
  public RecoverFilter(Recover recover, Function<? super HttpServletRequest, String> place) {
    this.recover = Settings.notNull("RecoverFilter.recover", recover);
    this.place = Settings.notNull("RecoverFilter.place", place);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse httpResponse)) {
      chain.doFilter(request, response);
      return;
    }
    try {
      chain.doFilter(request, response);
    } catch (Throwable thrown) {
      ProblemResponse problem;
      try {
        problem = recover.respond(placeOf(http), thrown, httpResponse.isCommitted());
      } catch (VirtualMachineError fatal) {
        endBeforeRethrowing(httpResponse);
        throw fatal;
      }
      // The request ends with this answer, so an interrupt flag the handler left set has had its
      // effect; kept, it would fail the blocking write below and, on the JDK server's dispatcher
      // thread, every request after this one.
      Thread.interrupted();
      answer(problem, httpResponse);
    }
  }

  private String placeOf(HttpServletRequest request) {
    try {
      return place.apply(request);
    } catch (RuntimeException broken) {
      return "unknown";
    }
  }

  /**
   * Answers a fatal error that is about to be rethrown with a bare 500 that closes the connection,
   * if the response has not started: left to the container, the error would reach its error page,
   * which may show the error's class and message. A committed response is left for the container to
   * abort. Best effort, allocating little: the JVM may be out of memory, and the error must go on.
   */
  private static void endBeforeRethrowing(HttpServletResponse response) {
    try {
      if (!response.isCommitted()) {
        response.reset();
        response.setStatus(500);
        response.setHeader("Connection", "close");
        response.setContentLength(0);
        response.flushBuffer();
      }
    } catch (Throwable unanswerable) {
      // The container aborts the exchange when the error reaches it.
    }
  }

  private static void answer(ProblemResponse problem, HttpServletResponse response)
      throws IOException {
    if (problem.closesConnection()) {
      throw problem.abort();
    }
    try {
      // Drops whatever the handler buffered (headers included), so none of it reaches the client.
      response.reset();
    } catch (IllegalStateException committedMeanwhile) {
      throw problem.abort();
    }
    response.setStatus(problem.status());
    response.setContentType(problem.contentType());
    for (Map.Entry<String, String> header : problem.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    byte[] body = problem.body();
    response.setContentLength(body.length);
    try {
      response.getOutputStream().write(body);
    } catch (IllegalStateException writerInUse) {
      // The handler took the writer before crashing, and this container keeps that choice after
      // reset.
      response.getWriter().write(new String(body, StandardCharsets.UTF_8));
    }
    response.flushBuffer();
  }
}
