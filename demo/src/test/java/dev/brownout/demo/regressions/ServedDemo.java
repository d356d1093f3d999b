package dev.brownout.demo.regressions;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The demo as its users run it: {@code demo --serve --port 0} in a JVM of its own (so the JDK
 * server's settings are read fresh, as in production), with its temporary directory (where its log
 * goes) private to the test. Its address and admin token are read from what it prints.
 */
@SuppressWarnings(
    "JdkObsolete") // StringBuffer on purpose: reader threads append while the test reads
final class ServedDemo implements AutoCloseable {

  private final Process process;
  private final Path tmp;
  private final StringBuffer out = new StringBuffer();
  private final StringBuffer err = new StringBuffer();

  ServedDemo() throws IOException {
    tmp = Files.createTempDirectory("served-demo");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Djava.io.tmpdir=" + tmp);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.brownout.demo.Demo");
    command.add("--serve");
    command.add("--port");
    command.add("0");
    process = new ProcessBuilder(command).start();
    collect(process.getInputStream(), out::append);
    collect(process.getErrorStream(), err::append);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                out.indexOf("admin page:") >= 0
                    && out.indexOf("\n", out.indexOf("admin page:")) > 0);
  }

  private static void collect(InputStream stream, Consumer<String> sink) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  sink.accept(line + "\n");
                }
              } catch (IOException ended) {
                // the process ended
              }
            },
            "served-demo-output");
    reader.setDaemon(true);
    reader.start();
  }

  URI uri() {
    String printed = out.toString();
    int at = printed.indexOf("Q&A service on ") + "Q&A service on ".length();
    return URI.create(printed.substring(at, printed.indexOf(' ', at)));
  }

  String token() {
    String printed = out.toString();
    int at = printed.indexOf("admin token: ") + "admin token: ".length();
    return printed.substring(at, printed.indexOf('\n', at)).strip();
  }

  /** The library's admin page, which the admin API is under ({@code api/v1/}). */
  URI adminUri() {
    String printed = out.toString();
    int at = printed.indexOf("admin page:") + "admin page:".length();
    return URI.create(printed.substring(at, printed.indexOf(" (", at)).strip());
  }

  int port() {
    return uri().getPort();
  }

  /** What the demo wrote on standard error so far. */
  String standardError() {
    return err.toString();
  }

  /** The log file the demo writes by default, in its private temporary directory. */
  Path logFile() {
    return tmp.resolve("brownout-demo.log");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
