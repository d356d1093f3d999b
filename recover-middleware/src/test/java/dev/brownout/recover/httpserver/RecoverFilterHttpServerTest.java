package dev.brownout.recover.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.brownout.recover.Crashes;
import dev.brownout.recover.Crashes.Route;
import dev.brownout.recover.Recover;
import dev.brownout.recover.RecoverOverHttpContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The filter on the JDK's {@code HttpServer}, over real HTTP. No executor is set, so handlers run
 * on the server's one dispatcher thread: an escaped {@code Error} would end the whole server, which
 * makes "the server keeps serving" a sharp test.
 */
class RecoverFilterHttpServerTest extends RecoverOverHttpContract {

  private HttpServer server;

  @Override
  protected URI start(Recover recover, boolean placeFromRouteHeader) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server
        .createContext("/", RecoverFilterHttpServerTest::route)
        .getFilters()
        .add(filter(recover, placeFromRouteHeader));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private static RecoverFilter filter(Recover recover, boolean placeFromRouteHeader) {
    if (!placeFromRouteHeader) {
      return new RecoverFilter(recover);
    }
    return new RecoverFilter(
        recover, exchange -> "route " + exchange.getRequestHeaders().getFirst("X-Route"));
  }

  @Override
  protected void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Route route = Route.of(path);
    String n = path.substring(path.lastIndexOf('/') + 1);
    switch (route) {
      case HEALTHY -> {
        byte[] body = ("healthy " + n).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      case COMMITTED -> {
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("partial ".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Crashes.crash(route);
      }
      default -> {
        exchange.getResponseHeaders().set("X-Leak", Crashes.SECRET);
        Crashes.crash(route);
      }
    }
  }
}
