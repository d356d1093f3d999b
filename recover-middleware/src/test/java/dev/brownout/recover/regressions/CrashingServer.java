package dev.brownout.recover.regressions;

import com.sun.net.httpserver.HttpServer;
import dev.brownout.recover.Recover;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real server on loopback (the JDK's {@code HttpServer} or Jetty 12) whose only handler sets a
 * header and throws what {@code crash} supplies, behind the recovery filter. Requests go over a raw
 * socket, so a test sees exactly what the client gets, and whether the server closed the
 * connection.
 */
abstract class CrashingServer implements AutoCloseable {

  static final String SECRET = "s3cret-internal-detail";

  /** Which server, for parameterised tests. */
  enum Kind {
    JDK,
    JETTY;

    CrashingServer start(Recover recover, Supplier<? extends Throwable> crash) throws Exception {
      return this == JDK ? new Jdk(recover, crash) : new Jetty(recover, crash);
    }
  }

  /**
   * What came back: the raw response text, and whether the server closed the connection after it.
   */
  record Reply(String text, boolean closed) {
    int status() {
      return text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
    }

    String body() {
      int end = text.indexOf("\r\n\r\n");
      return end < 0 ? "" : text.substring(end + 4);
    }
  }

  /** Throwables that escaped the handler's thread (the JDK server's workers record them here). */
  final ConcurrentLinkedQueue<Throwable> escaped = new ConcurrentLinkedQueue<>();

  abstract int port();

  @Override
  public abstract void close();

  /**
   * Sends a GET (with {@code Connection: keep-alive} or {@code close}) and reads until the server
   * closes the connection or stays silent for {@code silenceMillis}.
   */
  Reply get(String path, boolean keepAlive, int silenceMillis) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
      socket.setSoTimeout(silenceMillis);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nConnection: "
                  + (keepAlive ? "keep-alive" : "close")
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          text.write(buffer, 0, n);
        }
        return new Reply(text.toString(StandardCharsets.ISO_8859_1), true);
      } catch (SocketTimeoutException silent) {
        return new Reply(text.toString(StandardCharsets.ISO_8859_1), false);
      } catch (IOException reset) {
        return new Reply(text.toString(StandardCharsets.ISO_8859_1), true);
      }
    }
  }

  private static final class Jdk extends CrashingServer {
    private final HttpServer server;
    private final ExecutorService workers;

    Jdk(Recover recover, Supplier<? extends Throwable> crash) throws IOException {
      // Workers of its own, so an error rethrown by design ends a worker, not the dispatcher.
      workers =
          Executors.newCachedThreadPool(
              task -> {
                Thread thread = new Thread(task, "crashing-server-worker");
                thread.setDaemon(true);
                thread.setUncaughtExceptionHandler((t, thrown) -> escaped.add(thrown));
                return thread;
              });
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(workers);
      server
          .createContext(
              "/",
              exchange -> {
                exchange.getResponseHeaders().set("X-Leak", SECRET);
                throw CrashingServer.<RuntimeException>sneaky(crash.get());
              })
          .getFilters()
          .add(new dev.brownout.recover.httpserver.RecoverFilter(recover));
      server.start();
    }

    @Override
    int port() {
      return server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      workers.shutdownNow();
    }
  }

  private static final class Jetty extends CrashingServer {
    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    Jetty(Recover recover, Supplier<? extends Throwable> crash) throws Exception {
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(
          new ServletHolder(
              new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doGet(HttpServletRequest request, HttpServletResponse response) {
                  response.setHeader("X-Leak", SECRET);
                  throw CrashingServer.<RuntimeException>sneaky(crash.get());
                }
              }),
          "/*");
      context.addFilter(
          new FilterHolder(new dev.brownout.recover.servlet.RecoverFilter(recover)),
          "/*",
          EnumSet.of(DispatcherType.REQUEST));
      server.setHandler(context);
      server.start();
    }

    @Override
    int port() {
      return connector.getLocalPort();
    }

    @Override
    public void close() {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Jetty did not stop", e);
      }
    }
  }

  /** Every kind of server, for a {@code @MethodSource}. */
  static List<Kind> kinds() {
    return List.of(Kind.values());
  }

  @SuppressWarnings({
    "unchecked",
    "TypeParameterUnusedInFormals"
  }) // the point: throw any throwable past signatures that do not declare it
  static <T extends Throwable> T sneaky(Throwable thrown) throws T {
    throw (T) thrown;
  }
}
