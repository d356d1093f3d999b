package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The default log, read back from slf4j-simple (which the test configuration points at System.out,
 * looked up on every event).
 */
class Slf4jIncidentLogTest {

  /** What SLF4J wrote while {@code action} ran. */
  static String output(Runnable action) {
    return captured(
            () -> {
              action.run();
              return null;
            })
        .output();
  }

  record Capture<T>(T value, String output) {}

  static synchronized <T> Capture<T> captured(Supplier<T> action) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      T value = action.get();
      return new Capture<>(value, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void logsOneEventWithTheIdThePlaceAndTheFullTrace() {
    Recover recover = Recover.builder().build();
    IllegalStateException thrown = new IllegalStateException("boom", diskFailure());

    Capture<Incident> capture = captured(() -> recover.recover("GET /orders", thrown));

    String output = capture.output();
    Incident incident = capture.value();
    assertThat(output.split("Incident inc-", -1)).hasSize(2);
    assertThat(output)
        .contains(
            "ERROR dev.brownout.recover.Recover - Incident "
                + incident.id()
                + " at GET /orders: java.lang.IllegalStateException (recovered)\njava.lang.IllegalStateException: boom\n\tat ");
    assertThat(output)
        .contains(
            "\nCaused by: java.io.IOException: disk\n\tat dev.brownout.recover.Slf4jIncidentLogTest.diskFailure");
    assertThat(output).contains("\tat dev.brownout.recover.Slf4jIncidentLogTest");
  }

  private static java.io.IOException diskFailure() {
    return new java.io.IOException("disk");
  }

  @Test
  void aMessageCannotForgeALogLine() {
    Recover recover = Recover.builder().build();

    String output =
        output(
            () ->
                recover.recover(
                    "task",
                    new NumberFormatException("For input string: \"1\r\n[main] ERROR forged\"")));

    assertThat(output).contains("1\\r\\n[main] ERROR forged");
    assertThat(output.lines()).noneMatch(line -> line.startsWith("[main] ERROR forged"));
  }

  @Test
  void aFailingProblemWriterIsReportedWithTheIncidentId() {
    Recover recover =
        Recover.builder()
            .problemWriter(
                problem -> {
                  throw new IllegalStateException("template missing");
                })
            .build();

    Capture<ProblemResponse> capture =
        captured(() -> recover.respond("GET /", new RuntimeException(), false));

    assertThat(capture.output())
        .contains(
            "WARN dev.brownout.recover.Recover - Incident "
                + capture.value().incident().id()
                + ": the problem writer failed");
  }
}
