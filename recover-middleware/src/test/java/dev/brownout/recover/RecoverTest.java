package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecoverTest {

  private final CapturingLog log = new CapturingLog();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void clearInterruptFlag() {
    Thread.interrupted();
  }

  private Recover recover(Recover.Builder builder) {
    Recover recover = builder.log(log).build();
    recover.bindTo(registry);
    return recover;
  }

  private double count(String place, Class<?> type) {
    Counter counter =
        registry
            .find(IncidentMeters.NAME)
            .tags("place", place, "exception", type.getName())
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void recoversARuntimeExceptionIntoAnIncidentLoggedOnceAndCountedOnce() {
    IllegalStateException thrown = new IllegalStateException("boom");

    Incident incident = recover(Recover.builder()).recover("nightly-report", thrown);

    assertThat(incident.place()).isEqualTo("nightly-report");
    assertThat(incident.throwableClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(incident.outcome()).isEqualTo(Incident.Outcome.RECOVERED);
    assertThat(log.incidents()).singleElement().isEqualTo(new CapturingLog.Entry(incident, thrown));
    assertThat(count("nightly-report", IllegalStateException.class)).isEqualTo(1.0);
  }

  @Test
  void recoversAStackOverflowError() {
    Incident incident = recover(Recover.builder()).recover("parse", new StackOverflowError());

    assertThat(incident.outcome()).isEqualTo(Incident.Outcome.RECOVERED);
  }

  @Test
  void rethrowsOutOfMemoryErrorOnceLoggedAndCounted() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

    assertThatThrownBy(() -> recover(Recover.builder()).recover("import", oom)).isSameAs(oom);

    assertThat(log.incidents())
        .singleElement()
        .satisfies(e -> assertThat(e.incident().outcome()).isEqualTo(Incident.Outcome.RETHROWN));
    assertThat(count("import", OutOfMemoryError.class)).isEqualTo(1.0);
  }

  @Test
  void rethrowsTheOtherVirtualMachineErrorsToo() {
    InternalError internal = new InternalError("broken JVM");

    assertThatThrownBy(() -> recover(Recover.builder()).recover("import", internal))
        .isSameAs(internal);
    assertThatThrownBy(() -> recover(Recover.builder()).respond("GET /import", internal, false))
        .isSameAs(internal);
    assertThat(log.incidents()).hasSize(2);
  }

  @Test
  void recoversAnInterruptedExceptionAndRestoresTheInterruptFlag() {
    Incident incident = recover(Recover.builder()).recover("poll", new InterruptedException());

    assertThat(incident.outcome()).isEqualTo(Incident.Outcome.RECOVERED);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void answeringARequestDoesNotSetTheInterruptFlagAgainSinceTheRequestIsOver() {
    ProblemResponse response =
        recover(Recover.builder()).respond("GET /poll", new InterruptedException(), false);

    assertThat(response.status()).isEqualTo(500);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void leavesTheInterruptFlagAloneForOtherThrowables() {
    recover(Recover.builder()).recover("poll", new IllegalStateException());

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void stampsIncidentsWithTheConfiguredClock() {
    Instant now = Instant.parse("2026-11-25T10:00:00Z");

    Incident incident =
        recover(Recover.builder().clock(Clock.fixed(now, ZoneOffset.UTC)))
            .recover("t", new RuntimeException());

    assertThat(incident.time()).isEqualTo(now);
  }

  @Test
  void aLogThatThrowsDoesNotBreakRecovery() {
    Recover recover =
        Recover.builder()
            .log(
                (incident, thrown) -> {
                  throw new IllegalStateException("log down");
                })
            .build();
    recover.bindTo(registry);

    Incident incident = recover.recover("t", new RuntimeException());

    assertThat(incident.outcome()).isEqualTo(Incident.Outcome.RECOVERED);
    assertThat(count("t", RuntimeException.class)).isEqualTo(1.0);
  }

  @Test
  void aNullThrowableIsStillAnIncident() {
    Incident incident = recover(Recover.builder()).recover(null, null);

    assertThat(incident.place()).isEqualTo("null");
    assertThat(incident.throwableClass()).isEqualTo("java.lang.NullPointerException");
  }

  @Test
  void bindingOneRegistryTwiceCountsOnce() {
    Recover recover = recover(Recover.builder());
    recover.bindTo(registry);

    recover.recover("t", new RuntimeException());

    assertThat(count("t", RuntimeException.class)).isEqualTo(1.0);
  }

  @Test
  void twoCoresBoundToOneRegistryAddToTheSameCounter() {
    recover(Recover.builder()).recover("t", new RuntimeException());
    recover(Recover.builder()).recover("t", new RuntimeException());

    assertThat(count("t", RuntimeException.class)).isEqualTo(2.0);
  }

  @Test
  void placesPastTheCapAreCountedAsOtherButLoggedAsTheyAre() {
    Recover recover = recover(Recover.builder().maxPlaces(2));

    recover.recover("GET /a", new RuntimeException());
    recover.recover("GET /b", new RuntimeException());
    recover.recover("GET /c", new RuntimeException());
    recover.recover("GET /a", new RuntimeException());

    assertThat(count("GET /a", RuntimeException.class)).isEqualTo(2.0);
    assertThat(count("GET /b", RuntimeException.class)).isEqualTo(1.0);
    assertThat(count(IncidentMeters.OTHER_PLACE, RuntimeException.class)).isEqualTo(1.0);
    assertThat(log.incidents().get(2).incident().place()).isEqualTo("GET /c");
  }

  @Test
  void neutralisesAPlaceThatTriesToForgeALogLine() {
    Incident incident =
        recover(Recover.builder()).recover("GET /a\r\nERROR forged", new RuntimeException());

    assertThat(incident.place()).isEqualTo("GET /a\\r\\nERROR forged");
  }

  @Test
  void respondsWithProblemJsonThatNamesOnlyTheIncident() {
    ProblemResponse response =
        recover(Recover.builder())
            .respond("GET /orders", new IllegalStateException("db password=hunter2"), false);

    assertThat(response.closesConnection()).isFalse();
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(response.headers()).isEmpty();
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(FlatJson.parse(body))
        .isEqualTo(
            Map.of(
                "type",
                "about:blank",
                "title",
                "Internal Server Error",
                "status",
                500L,
                "incident",
                response.incident().id()));
    assertThat(body).doesNotContain("hunter2", "IllegalState", "java.");
  }

  @Test
  void mapsTheMostSpecificTypeWhateverTheOrderOfConfiguration() {
    Recover recover =
        recover(
            Recover.builder()
                .status(RuntimeException.class, 503)
                .status(IllegalArgumentException.class, 400)
                .status(NumberFormatException.class, 422));

    assertThat(recover.respond("p", new NumberFormatException(), false).status()).isEqualTo(422);
    assertThat(recover.respond("p", new IllegalArgumentException(), false).status()).isEqualTo(400);
    assertThat(recover.respond("p", new IllegalStateException(), false).status()).isEqualTo(503);
    assertThat(recover.respond("p", new IOException(), false).status()).isEqualTo(500);
  }

  @Test
  void looksThroughWrappersForAMappedCause() {
    Recover recover = recover(Recover.builder().status(IOException.class, 502));

    ProblemResponse response =
        recover.respond(
            "p", new Exception("wrapper", new UncheckedIOException(new IOException())), false);

    assertThat(response.status()).isEqualTo(502);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .contains("\"title\":\"Bad Gateway\"");
  }

  @Test
  void aCommittedResponseClosesTheConnectionAndTheIncidentSaysSo() {
    ProblemResponse response =
        recover(Recover.builder()).respond("GET /export", new IllegalStateException(), true);

    assertThat(response.closesConnection()).isTrue();
    assertThat(response.body()).isEmpty();
    assertThat(response.incident().outcome()).isEqualTo(Incident.Outcome.CONNECTION_CLOSED);
    assertThat(log.incidents())
        .singleElement()
        .satisfies(e -> assertThat(e.incident()).isSameAs(response.incident()));
    IOException abort = response.abort();
    assertThat(abort).hasMessageContaining(response.incident().id()).hasNoCause();
    assertThat(abort.getStackTrace()).isEmpty();
  }

  @Test
  void aProblemWriterThatReturnsNullGivesWayToTheDefaultBody() {
    ProblemResponse response =
        recover(Recover.builder().problemWriter(problem -> null))
            .respond("p", new RuntimeException(), false);

    assertThat(response.contentType()).isEqualTo("application/problem+json");
    assertThat(FlatJson.parse(new String(response.body(), StandardCharsets.UTF_8)))
        .containsEntry("status", 500L);
    assertThat(log.writerFailures())
        .singleElement()
        .satisfies(e -> assertThat(e.thrown()).isInstanceOf(NullPointerException.class));
  }

  @Test
  void theIdHeaderCarriesTheIncidentId() {
    ProblemResponse response =
        recover(Recover.builder().idHeader("X-Incident"))
            .respond("p", new RuntimeException(), false);

    assertThat(response.headers()).isEqualTo(Map.of("X-Incident", response.incident().id()));
  }

  @Test
  void theJsonWriterEscapesWhatItQuotes() {
    String json =
        JsonProblemWriter.INSTANCE.write(new Problem("urn:\"x\"\\", "a\nb\u2028", 500, "inc-1"));

    assertThat(FlatJson.parse(json))
        .containsEntry("type", "urn:\"x\"\\")
        .containsEntry("title", "a\nb\u2028");
    assertThat(json).doesNotContain("\n");
  }

  @Test
  void badSettingsAreRejectedWithTheSettingAndTheValue() {
    assertThatThrownBy(() -> Recover.builder().status(IllegalArgumentException.class, 200))
        .hasMessage(
            "recover.status(java.lang.IllegalArgumentException) must be an HTTP error status in [400, 599], but was 200");
    assertThatThrownBy(() -> Recover.builder().status(OutOfMemoryError.class, 503))
        .hasMessage(
            "recover.status(java.lang.OutOfMemoryError) cannot be mapped: fatal errors are rethrown, never answered, but was 503");
    assertThatThrownBy(() -> Recover.builder().idHeader("Incident Id"))
        .hasMessage(
            "recover.idHeader must be an HTTP header name (letters, digits, !#$%&'*+-.^_`|~), but was 'Incident Id'");
    assertThatThrownBy(() -> Recover.builder().maxPlaces(0))
        .hasMessage("recover.maxPlaces must be at least 1, but was 0");
    assertThatThrownBy(() -> Recover.builder().log(null))
        .hasMessage("recover.log must not be null, but was null");
    assertThatThrownBy(() -> Recover.builder().build().runnable(" ", () -> {}))
        .hasMessage("recover.runnable.task must be a non-blank name, but was ' '");
  }

  @Test
  void theRuntimesCoreCountsOnTheRuntimesRegistry() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Recover.of(brownout)
          .runnable(
              "job",
              () -> {
                throw new IllegalStateException("bug");
              })
          .run();

      assertThat(
              registry
                  .get("brownout.recover.incidents")
                  .tags("place", "job", "exception", "java.lang.IllegalStateException")
                  .counter()
                  .count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void eachRuntimeHasOneRecoveryCore() {
    try (Brownout one = Brownout.builder().build();
        Brownout two = Brownout.builder().build()) {
      assertThat(Recover.of(one)).isSameAs(Recover.of(one)).isNotSameAs(Recover.of(two));
    }
  }
}
