package dev.brownout.admin;

import dev.brownout.core.internal.Settings;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Serves an {@link AdminApi} in a Servlet 6 container, mapped to the admin's base path:
 *
 * <pre>{@code
 * context.addServlet(new ServletHolder(new AdminServlet(admin)), admin.basePath() + "/*");
 * }</pre>
 *
 * <p>Paths are read within the web application (the context path is taken off), so the base path is
 * the mapping's, not the server's. An event stream holds its container thread while the client
 * follows it; {@link AdminApi.Builder#maxStreams} bounds how many do.
 */
// "exports": the Servlet API is the adapter's point; its users' containers provide it.
@SuppressWarnings("exports")
public final class AdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  // The admin is live state, never serialized: a container that passivates servlets makes new ones.
  private final transient AdminApi admin;

  /** A servlet of {@code admin}'s routes. */
  public AdminServlet(AdminApi admin) {
    this.admin = Settings.notNull("admin", admin);
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    admin.handle(new ServletExchange(request, response));
  }

  private static final class ServletExchange implements Exchange {
    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
      this.request = request;
      this.response = response;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      return request.getRequestURI().substring(request.getContextPath().length());
    }

    @Override
    public @Nullable String query() {
      return request.getQueryString();
    }

    @Override
    public @Nullable String header(String name) {
      return request.getHeader(name);
    }

    @Override
    public boolean fromLoopback() {
      try {
        // An address literal: no name lookup happens.
        return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }

    @Override
    public InputStream body() throws IOException {
      return request.getInputStream();
    }

    @Override
    public void send(int status, Map<String, String> headers, byte[] body) throws IOException {
      response.setStatus(status);
      headers.forEach(response::setHeader);
      boolean head = method().equals("HEAD");
      if (!head || body.length > 0) {
        response.setContentLength(body.length);
      } else {
        // a HEAD of the stream: its GET has no length, so commit the headers before the
        // container, seeing nothing written, claims a length of 0
        response.flushBuffer();
      }
      if (!head && body.length > 0) {
        response.getOutputStream().write(body);
      }
    }

    @Override
    public OutputStream stream(Map<String, String> headers) throws IOException {
      response.setStatus(200);
      headers.forEach(response::setHeader);
      response.flushBuffer(); // the client sees the headers now, before the first event
      return response.getOutputStream();
    }
  }
}
