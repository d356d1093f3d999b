package dev.brownout.degradation.regressions;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What SLF4J wrote while an action ran: slf4j-simple writes to {@code System.err}, looked up on
 * every event, so swapping the stream for the action captures its log lines.
 */
final class LogCapture {

  interface Action {
    void run() throws Exception;
  }

  private LogCapture() {}

  static synchronized String during(Action action) throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setErr(capture);
      action.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
