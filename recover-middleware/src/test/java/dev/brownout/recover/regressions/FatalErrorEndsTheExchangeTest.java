package dev.brownout.recover.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.recover.CapturingLog;
import dev.brownout.recover.Incident;
import dev.brownout.recover.Recover;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15, finding 14: a fatal error is rethrown by design, but on the JDK server the connection
 * was neither answered nor closed (still open after 70 s), and Jetty's default error page showed
 * the error's class and message. Before it is rethrown, the client gets a bare 500 and the
 * connection is closed.
 */
class FatalErrorEndsTheExchangeTest {

  @ParameterizedTest
  @MethodSource("dev.brownout.recover.regressions.CrashingServer#kinds")
  void aFatalErrorIsAnsweredWithABare500AndTheConnectionClosedBeforeItIsRethrown(
      CrashingServer.Kind kind) throws Exception {
    CapturingLog log = new CapturingLog();
    Recover recover = Recover.builder().log(log).build();
    try (CrashingServer server =
        kind.start(recover, () -> new OutOfMemoryError("simulated " + CrashingServer.SECRET))) {

      CrashingServer.Reply reply = server.get("/fatal", true, 10_000);

      assertThat(reply.closed()).as("the server closed the connection").isTrue();
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.body()).isEmpty();
      assertThat(reply.text())
          .doesNotContain(CrashingServer.SECRET, "OutOfMemoryError", "java.", "X-Leak");
      assertThat(log.incidents())
          .singleElement()
          .satisfies(
              entry -> assertThat(entry.incident().outcome()).isEqualTo(Incident.Outcome.RETHROWN));
      if (kind == CrashingServer.Kind.JDK) {
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(server.escaped)
                        .singleElement()
                        .isInstanceOf(OutOfMemoryError.class));
      }
    }
  }
}
