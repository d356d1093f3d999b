package dev.brownout.recover.httpserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.brownout.recover.InboundLimit;
import dev.brownout.recover.LimitOverHttpContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The inbound limit filter on the JDK's {@code HttpServer}, over real HTTP. */
class LimitFilterHttpServerTest extends LimitOverHttpContract {

  private HttpServer server;
  private ExecutorService handlers;

  @Override
  protected URI start(Spec spec) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    InboundLimit<HttpExchange> limit =
        InboundLimit.<HttpExchange>builder(spec.limiter())
            .partitionBy(exchange -> exchange.getRequestHeaders().getFirst("X-Partition"))
            .bypass(exchange -> exchange.getRequestURI().getPath().equals("/health"))
            .status(spec.status())
            .retryAfter(spec.retryAfter())
            .build();
    server.createContext("/", this::route).getFilters().add(new LimitFilter(limit));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  protected void stop() {
    if (server != null) {
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    int status;
    try {
      status = handle(exchange.getRequestURI().getPath());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 500;
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }
}
