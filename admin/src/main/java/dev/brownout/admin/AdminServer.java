package dev.brownout.admin;

import com.sun.net.httpserver.HttpServer;
import dev.brownout.core.internal.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK {@code HttpServer} of its own for an {@link AdminApi}, bound to loopback unless an address
 * is given: the quickest way to give a service its admin page, on a port apart from its traffic.
 * Its threads are few: an exchange other than an event stream that is not over within 10 seconds (a
 * client that sends its request a byte at a time, or does not read the answer) is ended, so slow
 * clients cannot hold them for longer.
 *
 * <pre>{@code
 * try (AdminServer server = AdminServer.start(admin, 9090)) {
 *   System.out.println("admin page: " + server.uri());   // http://127.0.0.1:9090/brownout/
 *   ...
 * }
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

  /** Threads beyond the event streams, for the short requests. */
  private static final int REQUEST_THREADS = 4;

  /** How long an exchange other than an event stream may take, from its first byte to its end. */
  static final Duration EXCHANGE_DEADLINE = Duration.ofSeconds(10);

  private final HttpServer server;
  private final ExecutorService threads;
  private final ExchangeDeadlines deadlines;
  private final AdminApi admin;

  private AdminServer(
      HttpServer server, ExecutorService threads, ExchangeDeadlines deadlines, AdminApi admin) {
    this.server = server;
    this.threads = threads;
    this.deadlines = deadlines;
    this.admin = admin;
  }

  /** Serves {@code admin} on loopback at {@code port} (0 picks a free one). */
  public static AdminServer start(AdminApi admin, int port) {
    return start(admin, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /**
   * Serves {@code admin} at {@code address}. An address other than loopback also needs {@link
   * AdminApi.Builder#allowRemoteClients}, or every request from elsewhere gets a 403.
   */
  public static AdminServer start(AdminApi admin, InetSocketAddress address) {
    return start(admin, address, EXCHANGE_DEADLINE);
  }

  static AdminServer start(AdminApi admin, InetSocketAddress address, Duration deadline) {
    Settings.notNull("admin", admin);
    Settings.notNull("admin.address", address);
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the admin at " + address, e);
    }
    AtomicInteger count = new AtomicInteger();
    int max = admin.maxStreams() + REQUEST_THREADS;
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            max,
            max,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(64),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "brownout-admin-http-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    threads.allowCoreThreadTimeOut(true);
    ExchangeDeadlines deadlines = new ExchangeDeadlines(deadline);
    server.setExecutor(deadlines.around(threads));
    server.createContext(admin.basePath(), new AdminHandler(admin));
    server.start();
    return new AdminServer(server, threads, deadlines, admin);
  }

  /** How many exchanges were ended at their deadline (a client sent or read too slowly). */
  long endedAtDeadline() {
    return deadlines.ended();
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** The admin page's URL, such as {@code http://127.0.0.1:9090/brownout/}. */
  public URI uri() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().getHostAddress();
    return URI.create(
        "http://"
            + (host.contains(":") ? "[" + host + "]" : host)
            + ":"
            + address.getPort()
            + admin.basePath()
            + "/");
  }

  /** Stops the server (the admin itself stays open: close it too when done). */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
    deadlines.close();
  }
}
