package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.brownout.recover.Crashes.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every server adapter must do, over real HTTP: each server's test starts a real server on
 * 127.0.0.1 with the adapter in front of handlers that crash as {@link Crashes.Route} says, and
 * inherits these tests.
 */
public abstract class RecoverOverHttpContract {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String PROBLEM_JSON = "application/problem+json";

  protected final CapturingLog log = new CapturingLog();
  protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private URI base;

  /**
   * Starts the server under test on 127.0.0.1 and an ephemeral port, with {@code recover}'s filter
   * in front of handlers that behave as {@link Crashes.Route} says, and returns its base URI.
   * Before crashing, a handler sets the header {@code X-Leak} and (where the server buffers) writes
   * a partial body; the COMMITTED route sends its status and a flushed partial body first. With
   * {@code placeFromRouteHeader}, the filter names places {@code "route " + <the X-Route header>}
   * instead of by default.
   */
  protected abstract URI start(Recover recover, boolean placeFromRouteHeader) throws Exception;

  protected abstract void stop() throws Exception;

  @AfterEach
  void stopServer() throws Exception {
    stop();
  }

  @Test
  void healthyRequestsAreUntouched() throws Exception {
    serve(Recover.builder());

    HttpResponse<String> response = get(Route.HEALTHY.path(1));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("healthy 1");
    assertThat(log.incidents()).isEmpty();
    assertThat(registry.find(IncidentMeters.NAME).counters()).isEmpty();
  }

  @Test
  void runtimeExceptionBecomesOneProblemResponseOneLogEventAndOneCount() throws Exception {
    serve(Recover.builder());

    HttpResponse<String> response = get(Route.RUNTIME.path(1) + "?q=1");

    String id = assertProblem(response, 500, "Internal Server Error");
    assertThat(response.headers().firstValue("Incident-Id")).isEmpty();
    assertLoggedOnceAndCounted(id, "GET /runtime", IllegalStateException.class);
  }

  @Test
  void checkedExceptionBecomesAProblemResponse() throws Exception {
    serve(Recover.builder());

    String id = assertProblem(get(Route.CHECKED.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /checked", Crashes.LedgerUnavailableException.class);
  }

  @Test
  void errorBecomesAProblemResponse() throws Exception {
    serve(Recover.builder());

    String id = assertProblem(get(Route.ERROR.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /error", AssertionError.class);
  }

  @Test
  void stackOverflowFromRealRecursionBecomesAProblemResponseAndTheServerGoesOn() throws Exception {
    serve(Recover.builder());

    String id = assertProblem(get(Route.OVERFLOW.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /overflow", StackOverflowError.class);
    assertThat(get(Route.HEALTHY.path(2)).body()).isEqualTo("healthy 2");
  }

  @Test
  void crashAfterTheResponseStartedClosesTheConnectionInsteadOfSendingASecondBody()
      throws Exception {
    serve(Recover.builder());

    assertThatThrownBy(() -> get(Route.COMMITTED.path(1))).isInstanceOf(IOException.class);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(log.incidents()).hasSize(1));
    Incident incident = log.incidents().get(0).incident();
    assertThat(incident.outcome()).isEqualTo(Incident.Outcome.CONNECTION_CLOSED);
    assertLoggedOnceAndCounted(incident.id(), "GET /committed", IllegalStateException.class);
    assertThat(get(Route.HEALTHY.path(2)).body()).isEqualTo("healthy 2");
  }

  @Test
  void aProblemWriterThatThrowsGivesWayToTheDefaultBody() throws Exception {
    serve(
        Recover.builder()
            .problemWriter(
                problem -> {
                  throw new IllegalStateException("writer " + Crashes.SECRET);
                }));

    String id = assertProblem(get(Route.RUNTIME.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /runtime", IllegalStateException.class);
    assertThat(log.writerFailures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.incident().id()).isEqualTo(id);
              assertThat(failure.thrown()).hasMessageContaining("writer");
            });
  }

  @Test
  void aCustomProblemWriterShapesTheBody() throws Exception {
    serve(
        Recover.builder()
            .problemWriter(
                new ProblemWriter() {
                  @Override
                  public String write(Problem problem) {
                    return "Quote " + problem.incident() + " to support.";
                  }

                  @Override
                  public String contentType() {
                    return "text/plain; charset=utf-8";
                  }
                }));

    HttpResponse<String> response = get(Route.RUNTIME.path(1));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).matches("Quote inc-[0-9a-z]{12} to support\\.");
  }

  @Test
  void aMappedExceptionGetsItsStatus() throws Exception {
    serve(Recover.builder().status(IllegalArgumentException.class, 400));

    String id = assertProblem(get(Route.MAPPED.path(1)), 400, "Bad Request");

    assertLoggedOnceAndCounted(id, "GET /mapped", IllegalArgumentException.class);
  }

  @Test
  void theIncidentIdGoesInAHeaderWhenConfigured() throws Exception {
    serve(Recover.builder().idHeader("Incident-Id"));

    HttpResponse<String> response = get(Route.RUNTIME.path(1));

    String id = assertProblem(response, 500, "Internal Server Error");
    assertThat(response.headers().firstValue("Incident-Id")).hasValue(id);
  }

  @Test
  void whatTheHandlerSetBeforeCrashingNeverReachesTheClient() throws Exception {
    serve(Recover.builder());

    HttpResponse<String> response = get(Route.RUNTIME.path(1));

    assertProblem(response, 500, "Internal Server Error");
    assertThat(response.headers().firstValue("X-Leak")).isEmpty();
    assertThat(response.body()).doesNotContain("partial");
  }

  @Test
  void aCrashAfterWritingThroughTheWriterStillGetsAProblemResponse() throws Exception {
    serve(Recover.builder());

    String id = assertProblem(get(Route.WRITER.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /writer", IllegalStateException.class);
  }

  @Test
  void anInterruptedHandlerGetsAProblemResponseAndTheServerGoesOn() throws Exception {
    serve(Recover.builder());

    String id = assertProblem(get(Route.INTERRUPTED.path(1)), 500, "Internal Server Error");

    assertLoggedOnceAndCounted(id, "GET /interrupted", InterruptedException.class);
    assertThat(get(Route.HEALTHY.path(2)).body()).isEqualTo("healthy 2");
  }

  @Test
  void aHeadRequestGetsTheProblemStatusWithoutABody() throws Exception {
    serve(Recover.builder());

    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(base.resolve(Route.RUNTIME.path(1)))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(TIMEOUT)
                .build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEmpty();
    assertLoggedOnceAndCounted(
        log.incidents().get(0).incident().id(), "HEAD /runtime", IllegalStateException.class);
  }

  @Test
  void aPlaceMadeOfClientTextIsNeutralisedAndCappedInTheLog() throws Exception {
    serve(Recover.builder(), true);
    String route = "orders\t" + "x".repeat(5_000);

    String id =
        assertProblem(get(Route.RUNTIME.path(1), "X-Route", route), 500, "Internal Server Error");

    assertThat(log.withId(id))
        .singleElement()
        .satisfies(
            incident -> {
              // Jetty keeps the tab (escaped in the log), the JDK server turns it into a space.
              assertThat(incident.place())
                  .startsWith("route orders")
                  .endsWith("xxx...(5013 chars)")
                  .doesNotContain("\t");
              assertThat(incident.place().length())
                  .isBetween(
                      LogSafe.MAX_LENGTH + "...(5013 chars)".length(),
                      LogSafe.MAX_LENGTH + 1 + "...(5013 chars)".length());
            });
  }

  @Test
  void aThousandMixedRequestsFromConcurrentClients() throws Exception {
    serve(Recover.builder());
    Route[] crashes = {Route.RUNTIME, Route.CHECKED, Route.ERROR, Route.OVERFLOW, Route.COMMITTED};
    List<Callable<Answer>> calls = new ArrayList<>();
    for (int n = 0; n < 1000; n++) {
      Route route = n % 2 == 0 ? Route.HEALTHY : crashes[(n / 2) % crashes.length];
      int request = n;
      calls.add(() -> ask(route, request));
    }
    List<Answer> answers = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      for (Future<Answer> answer : clients.invokeAll(calls, 3, TimeUnit.MINUTES)) {
        answers.add(answer.get());
      }
    } finally {
      clients.shutdownNow();
    }

    Set<String> answeredIds = new HashSet<>();
    int closed = 0;
    for (Answer answer : answers) {
      switch (answer.route()) {
        case HEALTHY -> {
          assertThat(answer.response().statusCode()).isEqualTo(200);
          assertThat(answer.response().body()).isEqualTo("healthy " + answer.n());
        }
        case COMMITTED -> {
          assertThat(answer.failure()).as("request %d", answer.n()).isInstanceOf(IOException.class);
          closed++;
        }
        default ->
            assertThat(
                    answeredIds.add(assertProblem(answer.response(), 500, "Internal Server Error")))
                .isTrue();
      }
    }
    int crashed = 500;
    assertThat(answeredIds).hasSize(crashed - closed);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(log.incidents()).hasSize(crashed));
    Map<Incident.Outcome, Long> outcomes = countBy(log.incidents());
    assertThat(outcomes)
        .containsEntry(Incident.Outcome.RECOVERED, (long) crashed - closed)
        .containsEntry(Incident.Outcome.CONNECTION_CLOSED, (long) closed);
    assertThat(log.incidents().stream().map(e -> e.incident().id()).distinct().count())
        .isEqualTo(crashed);
    assertThat(answeredIds).allSatisfy(id -> assertThat(log.withId(id)).hasSize(1));
    assertThat(
            registry.find(IncidentMeters.NAME).counters().stream()
                .mapToDouble(Counter::count)
                .sum())
        .isEqualTo(crashed);
    assertThat(get(Route.HEALTHY.path(1000)).body()).isEqualTo("healthy 1000");
  }

  private record Answer(Route route, int n, HttpResponse<String> response, IOException failure) {}

  private Answer ask(Route route, int n) throws InterruptedException {
    try {
      return new Answer(route, n, get(route.path(n)), null);
    } catch (IOException failure) {
      return new Answer(route, n, null, failure);
    }
  }

  private static Map<Incident.Outcome, Long> countBy(List<CapturingLog.Entry> entries) {
    Map<Incident.Outcome, Long> counts = new java.util.EnumMap<>(Incident.Outcome.class);
    for (CapturingLog.Entry entry : entries) {
      counts.merge(entry.incident().outcome(), 1L, Long::sum);
    }
    return counts;
  }

  private void serve(Recover.Builder builder) throws Exception {
    serve(builder, false);
  }

  private void serve(Recover.Builder builder, boolean placeFromRouteHeader) throws Exception {
    Recover recover = builder.log(log).build();
    recover.bindTo(registry);
    base = start(recover, placeFromRouteHeader);
  }

  private HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), BodyHandlers.ofString());
  }

  /**
   * A well-formed problem+json response with no trace of the crash in it; returns its incident id.
   */
  private static String assertProblem(HttpResponse<String> response, int status, String title) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith(PROBLEM_JSON));
    Map<String, Object> problem = FlatJson.parse(response.body());
    assertThat(problem)
        .containsOnlyKeys("type", "title", "status", "incident")
        .containsEntry("type", "about:blank")
        .containsEntry("title", title)
        .containsEntry("status", (long) status);
    String id = (String) problem.get("incident");
    assertThat(id).matches("inc-[0-9a-z]{12}");
    String everything = response.body() + response.headers().map();
    assertThat(everything)
        .doesNotContain(
            Crashes.SECRET,
            "Exception",
            "AssertionError",
            "StackOverflow",
            "java.",
            "\tat ",
            "Crashes",
            "recurse",
            "partial");
    return id;
  }

  private void assertLoggedOnceAndCounted(
      String id, String place, Class<? extends Throwable> type) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(log.incidents()).hasSize(1));
    assertThat(log.withId(id))
        .singleElement()
        .satisfies(
            incident -> {
              assertThat(incident.place()).isEqualTo(place);
              assertThat(incident.throwableClass()).isEqualTo(type.getName());
            });
    assertThat(log.incidents().get(0).thrown()).isInstanceOf(type);
    assertThat(
            registry
                .get(IncidentMeters.NAME)
                .tags("place", place, "exception", type.getName())
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.find(IncidentMeters.NAME).counters()).hasSize(1);
  }
}
