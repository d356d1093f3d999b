package dev.brownout.recover.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.brownout.recover.CapturingLog;
import dev.brownout.recover.ProblemResponse;
import dev.brownout.recover.Recover;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15, finding 13: with a status mapping configured, a throwable whose {@code getCause()}
 * threw an {@code Error} escaped {@code Recover.respond}, so the JDK server's worker died and its
 * client hung, and Jetty answered with its own error page carrying the message. Inspecting a
 * throwable must never throw, whatever its getters do.
 */
class HostileThrowableInspectionTest {

  /** A crash whose every getter is hostile in one way. */
  static final class Hostile extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String getter;

    Hostile(String getter) {
      super("hostile " + CrashingServer.SECRET);
      this.getter = getter;
    }

    @Override
    public synchronized Throwable getCause() {
      return fail("getCause", super.getCause());
    }

    @Override
    public String getLocalizedMessage() {
      return fail("getLocalizedMessage", super.getLocalizedMessage());
    }

    @Override
    public String getMessage() {
      return fail("getMessage", super.getMessage());
    }

    @Override
    public String toString() {
      return fail("toString", super.toString());
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      return fail("getStackTrace", super.getStackTrace());
    }

    private <T> T fail(String called, T otherwise) {
      if (getter.equals(called)) {
        throw new AssertionError(called + " " + CrashingServer.SECRET);
      }
      return otherwise;
    }
  }

  /** A is caused by B, which is caused by A. */
  static Throwable cycle() {
    IllegalStateException a = new IllegalStateException("a " + CrashingServer.SECRET);
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    return a;
  }

  static List<Supplier<Throwable>> hostileThrowables() {
    return List.of(
        () -> new Hostile("getCause"),
        () -> new Hostile("getLocalizedMessage"),
        () -> new Hostile("getMessage"),
        () -> new Hostile("toString"),
        () -> new Hostile("getStackTrace"),
        () -> new IllegalStateException("wrapped", new Hostile("getCause")),
        HostileThrowableInspectionTest::cycle);
  }

  static Stream<Arguments> serversAndThrowables() {
    return CrashingServer.kinds().stream()
        .flatMap(kind -> hostileThrowables().stream().map(crash -> Arguments.of(kind, crash)));
  }

  static Stream<Supplier<Throwable>> throwables() {
    return hostileThrowables().stream();
  }

  @ParameterizedTest
  @MethodSource("throwables")
  void respondAnswersEveryHostileThrowableWithAStatus(Supplier<Throwable> crash) {
    Recover recover =
        Recover.builder()
            .log(new CapturingLog())
            .status(IllegalArgumentException.class, 400)
            .build();

    assertThatCode(
            () -> {
              ProblemResponse problem = recover.respond("GET /hostile", crash.get(), false);
              assertThat(problem.status()).isEqualTo(500);
            })
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("serversAndThrowables")
  void aHostileThrowableGetsAProblemResponseOnEveryServer(
      CrashingServer.Kind kind, Supplier<Throwable> crash) throws Exception {
    CapturingLog log = new CapturingLog();
    Recover recover =
        Recover.builder().log(log).status(IllegalArgumentException.class, 400).build();
    try (CrashingServer server = kind.start(recover, crash)) {

      CrashingServer.Reply reply = server.get("/hostile", false, 10_000);

      assertThat(reply.closed()).as("the server ended the exchange").isTrue();
      assertThat(reply.status()).isEqualTo(500);
      assertThat(reply.body()).contains("\"incident\":\"inc-");
      assertThat(reply.text())
          .doesNotContain(CrashingServer.SECRET, "AssertionError", "Hostile", "java.");
      assertThat(log.incidents()).hasSize(1);
      assertThat(server.escaped).isEmpty();
    }
  }
}
