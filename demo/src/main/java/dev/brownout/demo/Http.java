package dev.brownout.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * What the demo's two servers (the service and its simulated dependencies) share: how they are
 * created, and how a response is sent.
 *
 * <p>The JDK's {@code HttpServer} reads a request's line and headers on the thread that then runs
 * its handler, and by default waits for them forever: as many clients as there are request threads,
 * each sending half a header and then nothing, stop the server. It reads its limits from system
 * properties once, when its configuration class is first loaded, so they are set here, before the
 * first server is created (a value given on the command line wins). A production setup on this
 * server needs the same: {@code sun.net.httpserver.maxReqTime} (seconds a request's line, headers
 * and body may take to arrive), {@code maxRspTime} (seconds from the end of the request to the end
 * of the response), {@code idleInterval} (seconds an idle keep-alive connection is kept), set
 * before anything in the JVM creates an {@code HttpServer}, and a bounded executor.
 */
final class Http {

  /** Seconds a request may take to arrive: ample for the demo's bodies of at most 4 KiB. */
  static final String MAX_REQUEST_SECONDS = "5";

  /** Seconds from a request's end to its response's end: a page waits at most 2 s for its parts. */
  static final String MAX_RESPONSE_SECONDS = "30";

  /** Seconds an idle keep-alive connection is kept. */
  static final String IDLE_SECONDS = "30";

  static {
    setUnlessGiven("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
    setUnlessGiven("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
    setUnlessGiven("sun.net.httpserver.idleInterval", IDLE_SECONDS);
    // The JDK's HttpServer leaves Nagle's algorithm on; with delayed ACKs that adds ~40 ms to small
    // responses on loopback, which would hide the latencies the demo is about.
    setUnlessGiven("sun.net.httpserver.nodelay", "true");
  }

  private Http() {}

  private static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /**
   * A started server on loopback and {@code port} (0 for any), running handlers on {@code
   * executor}.
   */
  static HttpServer server(int port, Executor executor) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(executor);
    return server;
  }

  /** Daemon threads named {@code name}: a demo server never keeps the JVM alive by itself. */
  static ThreadFactory daemons(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Sends a whole response: status, content type, and a UTF-8 body of known length; to a HEAD
   * request, the same status and headers without the body.
   */
  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      // The JDK server sends no Content-Length for HEAD by itself: it is set here, as a GET would
      // get it.
      exchange.getResponseHeaders().set("Content-Length", Integer.toString(bytes.length));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
