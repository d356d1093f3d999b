package dev.brownout.degradation.redis;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.opentest4j.TestAbortedException;

/**
 * A {@code redis-server} process of the tests' own, on a free loopback port, that a test can kill
 * and start again on the same port, empty or from a snapshot it took earlier; the binary is found
 * on the PATH, or given as {@code -Dredis.server=}. Without {@code redis-server} the tests are
 * skipped, unless they run under CI ({@code CI=true}), where a Redis that cannot be started fails
 * them.
 */
public final class RedisServer implements AutoCloseable {

  private static final String HOW =
      "install it (Debian/Ubuntu: apt-get install redis-server) so that redis-server is on the PATH; the tests start their own on a free loopback port";

  private final Path binary;
  private final Path log;
  private final Path dir;
  public final int port;
  private Process process;

  private RedisServer(Path binary, int port) throws IOException {
    this.binary = binary;
    this.port = port;
    this.log = Files.createTempFile("redis-server-" + port + "-", ".log");
    this.dir = Files.createTempDirectory("redis-server-" + port + "-");
  }

  /**
   * Why the tests are skipped: redis-server is missing outside CI; empty if they run (or fail,
   * under CI).
   */
  static Optional<String> skipReason() {
    return find().isPresent() || ci()
        ? Optional.empty()
        : Optional.of("redis-server was not found: " + HOW);
  }

  /**
   * A running server, or the test is skipped (outside CI) or failed (under CI) with how to get one.
   */
  public static RedisServer startOrSkip() {
    boolean ci = ci();
    Optional<Path> binary = find();
    if (binary.isEmpty()) {
      String message = "redis-server was not found: " + HOW;
      if (ci) {
        throw new AssertionError(message + " (CI=true, so Redis is required)");
      }
      throw new TestAbortedException(message);
    }
    try {
      RedisServer server = new RedisServer(binary.get(), freePort());
      server.start();
      return server;
    } catch (IOException | RuntimeException e) {
      String message = "redis-server could not be started (" + e + "): " + HOW;
      if (ci) {
        throw new AssertionError(message + " (CI=true, so Redis is required)", e);
      }
      throw new TestAbortedException(message, e);
    }
  }

  private static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server on its port and waits until it answers. */
  void start() throws IOException {
    process =
        new ProcessBuilder(
                binary.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                dir.toString(),
                "--dbfilename",
                "dump.rdb",
                "--appendonly",
                "no",
                "--daemonize",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    await("redis-server on port " + port + " (log: " + log + ")")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> process.isAlive() ? answers() : failed());
  }

  /**
   * Kills the server as a crash would; its data is gone (it keeps none but the snapshots taken).
   */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      process = null;
    }
  }

  /** Kills the server and starts a new, empty one on the same port. */
  public void restart() {
    restartFrom(null);
  }

  /** Saves what the server holds now (SAVE), to start from later with {@link #restartFrom}. */
  public Path snapshot() {
    try {
      String answer = send("SAVE");
      if (!"+OK".equals(answer)) {
        throw new IllegalStateException("SAVE answered " + answer + "; see " + log);
      }
      Path copy = Files.createTempFile(dir, "snapshot-", ".rdb");
      Files.copy(dir.resolve("dump.rdb"), copy, StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Kills the server and starts it again on the same port from {@code snapshot}, as a Redis
   * restored from an older backup would come back; empty if {@code snapshot} is null.
   */
  public void restartFrom(Path snapshot) {
    kill();
    startFrom(snapshot);
  }

  /** Starts the killed server again from {@code snapshot}, or empty if it is null. */
  public void startFrom(Path snapshot) {
    try {
      Path dump = dir.resolve("dump.rdb");
      if (snapshot == null) {
        Files.deleteIfExists(dump);
      } else {
        Files.copy(snapshot, dump, StandardCopyOption.REPLACE_EXISTING);
      }
      start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    kill();
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
      Files.delete(dir);
    } catch (IOException e) {
      // A temporary folder left behind.
    }
  }

  private boolean failed() {
    throw new IllegalStateException(
        "redis-server exited with " + process.exitValue() + "; see " + log);
  }

  private boolean answers() {
    try {
      return "+PONG".equals(send("PING"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Sends one inline command and returns the first line of the answer. */
  private String send(String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return in.readLine();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Optional<Path> find() {
    String given = System.getProperty("redis.server");
    if (given != null) {
      return Files.isExecutable(Path.of(given)) ? Optional.of(Path.of(given)) : Optional.empty();
    }
    String path = System.getenv("PATH");
    String dirs =
        (path == null ? "" : path)
            + File.pathSeparator
            + "/usr/bin"
            + File.pathSeparator
            + "/usr/local/bin"
            + File.pathSeparator
            + "/usr/sbin";
    for (String dir : dirs.split(File.pathSeparator, -1)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
