package dev.brownout.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.brownout.core.internal.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Serves an {@link AdminApi} on a JDK {@code HttpServer}, in a context at the admin's base path:
 *
 * <pre>{@code
 * server.createContext(admin.basePath(), new AdminHandler(admin));
 * }</pre>
 *
 * <p>An event stream holds its handler thread while the client follows it, so give the server an
 * executor with a few threads more than {@link AdminApi.Builder#maxStreams} (the JDK's default runs
 * every exchange on one thread); {@link AdminServer} does.
 */
// "exports": the JDK's HttpServer types are the adapter's point; its users read jdk.httpserver.
@SuppressWarnings("exports")
public final class AdminHandler implements HttpHandler {

  private final AdminApi admin;

  /** A handler of {@code admin}'s routes. */
  public AdminHandler(AdminApi admin) {
    this.admin = Settings.notNull("admin", admin);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      admin.handle(new JdkExchange(exchange));
    }
  }

  private static final class JdkExchange implements Exchange {
    private final HttpExchange exchange;

    JdkExchange(HttpExchange exchange) {
      this.exchange = exchange;
    }

    @Override
    public String method() {
      return exchange.getRequestMethod();
    }

    @Override
    public String path() {
      return exchange.getRequestURI().getRawPath();
    }

    @Override
    public @Nullable String query() {
      return exchange.getRequestURI().getRawQuery();
    }

    @Override
    public @Nullable String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    @Override
    public boolean fromLoopback() {
      InetSocketAddress remote = exchange.getRemoteAddress();
      return remote != null
          && remote.getAddress() != null
          && remote.getAddress().isLoopbackAddress();
    }

    @Override
    public InputStream body() {
      return exchange.getRequestBody();
    }

    @Override
    public void send(int status, Map<String, String> headers, byte[] body) throws IOException {
      headers.forEach(exchange.getResponseHeaders()::set);
      boolean head = method().equals("HEAD");
      if (head && body.length > 0) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      }
      exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
      if (!head && body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }

    @Override
    public OutputStream stream(Map<String, String> headers) throws IOException {
      ExchangeDeadlines.exempt(); // on an AdminServer: a stream lasts while its client follows it
      headers.forEach(exchange.getResponseHeaders()::set);
      exchange.sendResponseHeaders(200, 0); // chunked: each flush goes out as it is written
      return exchange.getResponseBody();
    }
  }
}
