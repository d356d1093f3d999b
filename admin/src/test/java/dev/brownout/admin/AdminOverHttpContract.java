package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.recover.Incident;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every server adapter must do, over real HTTP: each server's test starts a real server on
 * 127.0.0.1 with the adapter serving an admin, and inherits these tests.
 */
abstract class AdminOverHttpContract {

  static final String TOKEN = "test-token-0123456789abcdef";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  Brownout brownout;
  Features features;
  RecentIncidents incidents;
  CircuitBreaker breaker;
  AdminApi admin;
  URI root;
  private final List<Stream<String>> streams = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The address the server under test listens on: loopback but in the off-loopback test. */
  InetAddress host = InetAddress.getLoopbackAddress();

  /** Starts the server under test on {@link #host} with {@code admin}; returns its root URI. */
  abstract URI start(AdminApi admin) throws Exception;

  abstract void stop() throws Exception;

  @BeforeEach
  void runtime() {
    brownout = Brownout.builder().build();
    features = Features.of(brownout);
    features.define("feed").priority(Priority.P2).register();
    features.define("feed.recommendations").priority(Priority.P3).register();
    breaker = brownout.circuitBreaker("recommendations", CircuitBreakerConfig.ofDefaults());
    incidents = RecentIncidents.keeping(10, (incident, thrown) -> {});
  }

  @AfterEach
  void stopAll() throws Exception {
    streams.forEach(Stream::close);
    if (admin != null) {
      admin.close();
    }
    stop();
    features.close();
    brownout.close();
  }

  void serve(AdminApi.Builder builder) throws Exception {
    builder.pageFolder = "testpage/";
    admin = builder.build();
    root = start(admin);
  }

  void serve() throws Exception {
    serve(AdminApi.builder(brownout, features).token(TOKEN).incidents(incidents));
  }

  // ---- reads

  @Test
  void stateAnswersEverySectionAsJson() throws Exception {
    serve();

    HttpResponse<String> response = send(get("/brownout/api/v1/state"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("application/json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    Map<String, Object> state = Json.readObject(response.body());
    assertThat(state)
        .containsOnlyKeys(
            "level",
            "features",
            "breakers",
            "bulkheads",
            "executors",
            "limiters",
            "incidents",
            "experiments",
            "shifts",
            "history",
            "lastEventId");
    assertThat(response.body())
        .contains("\"name\":\"feed.recommendations\",\"priority\":\"P3\",\"switch\":\"ON\"")
        .contains("\"name\":\"recommendations\",\"state\":\"CLOSED\"")
        .contains("\"level\":{\"level\":0,");
  }

  @Test
  void eachSectionHasItsOwnRoute() throws Exception {
    serve();

    for (String section :
        List.of(
            "level",
            "features",
            "breakers",
            "bulkheads",
            "executors",
            "limiters",
            "incidents",
            "history")) {
      assertThat(send(get("/brownout/api/v1/" + section)).statusCode()).as(section).isEqualTo(200);
    }
  }

  @Test
  void aBreakerCountsTheCallsOfItsGuardsSinceTheStartAndOverTheLastSecond() throws Exception {
    Guard guard = brownout.guard("recommendations").circuitBreaker(breaker).build();
    for (int i = 0; i < 3; i++) {
      guard.call(() -> "ok");
    }
    try {
      guard.call(
          () -> {
            throw new java.io.IOException("down");
          });
    } catch (java.io.IOException expected) {
      // counted as a failure
    }
    serve();
    Events events = follow(null);

    assertThat(send(get("/brownout/api/v1/breakers")).body())
        .contains("\"name\":\"recommendations\"")
        .contains("\"calls\":4,\"failed\":1,\"rejected\":0");
    guard.call(() -> "ok");
    events.await("summary", "\"breakerCalls\":{\"recommendations\":{\"calls\":");
  }

  @Test
  void readsWithoutTheTokenAreRefusedWithAChallenge() throws Exception {
    serve();

    HttpResponse<String> response =
        send(HttpRequest.newBuilder(root.resolve("/brownout/api/v1/state")).timeout(TIMEOUT));
    HttpResponse<String> wrong =
        send(
            HttpRequest.newBuilder(root.resolve("/brownout/api/v1/state"))
                .header("Authorization", "Bearer " + TOKEN + "x")
                .timeout(TIMEOUT));

    assertProblem(response, 401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"brownout\"");
    assertProblem(wrong, 401);
  }

  @Test
  void aTokenInTheUrlIsRefusedEvenWhenRight() throws Exception {
    serve();

    assertProblem(send(get("/brownout/api/v1/state?access_token=" + TOKEN)), 400);
  }

  @Test
  void readsOpenOnLoopbackWhenAskedButWritesStillNeedTheToken() throws Exception {
    serve(AdminApi.builder(brownout, features).token(TOKEN).openReadsOnLoopback());

    HttpResponse<String> read =
        send(HttpRequest.newBuilder(root.resolve("/brownout/api/v1/state")).timeout(TIMEOUT));
    HttpResponse<String> write =
        send(
            HttpRequest.newBuilder(root.resolve("/brownout/api/v1/level"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":1,\"reason\":\"x\"}"))
                .timeout(TIMEOUT));

    assertThat(read.statusCode()).isEqualTo(200);
    assertProblem(write, 401);
    assertThat(features.level()).isZero();
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405WithAllow() throws Exception {
    serve();

    assertProblem(send(get("/brownout/api/v1/nothing")), 404);
    assertProblem(send(get("/brownout/api/v2/state")), 404);
    assertProblem(send(get("/brownout/api/v1/features/feed/x")), 404);
    HttpResponse<String> delete = send(authorized("/brownout/api/v1/state").DELETE());
    assertProblem(delete, 405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> getWrite = send(get("/brownout/api/v1/features/feed"));
    assertProblem(getWrite, 405);
    assertThat(getWrite.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void aClientOffLoopbackIs403UnlessRemoteClientsAreAllowed() throws Exception {
    host = siteAddress();
    serve();

    HttpResponse<String> refused = send(get("/brownout/api/v1/state"));

    assertProblem(refused, 403);
    assertThat(refused.body()).contains("clients on this machine only");

    admin.close();
    stop();
    serve(AdminApi.builder(brownout, features).token(TOKEN).allowRemoteClients());

    assertThat(send(get("/brownout/api/v1/state")).statusCode()).isEqualTo(200);
    assertThat(send(HttpRequest.newBuilder(root.resolve("/brownout/api/v1/state"))).statusCode())
        .as("the token is still needed")
        .isEqualTo(401);
  }

  /** An IPv4 address of this machine other than loopback: a client from it is not on loopback. */
  private static InetAddress siteAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return address;
          }
        }
      }
    }
    assumeTrue(false, "this machine has no IPv4 address other than loopback");
    throw new AssertionError();
  }

  @Test
  void headAnswersAsGetWithoutABody() throws Exception {
    serve(AdminApi.builder(brownout, features).token(TOKEN).maxStreams(1));

    HttpResponse<String> head =
        send(
            authorized("/brownout/api/v1/state")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();

    HttpResponse<String> events =
        send(
            authorized("/brownout/api/v1/events")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertThat(events.statusCode()).as("the stream's headers, without the stream").isEqualTo(200);
    assertThat(contentType(events)).isEqualTo("text/event-stream;charset=utf-8");
    assertThat(events.headers().firstValue("X-Accel-Buffering")).hasValue("no");
    assertThat(events.headers().firstValue("Content-Length"))
        .as("a stream has no length")
        .isEmpty();
    assertThat(events.body()).isEmpty();

    Events stream = follow(null);
    stream.await("summary", "\"level\":0");
    assertThat(
            send(authorized("/brownout/api/v1/events")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .as("the HEAD took no stream, the GET took the only one, and the next HEAD says so")
        .isEqualTo(503);
  }

  // ---- the page

  @Test
  void servesThePageFilesWithTheirTypesAndAStrictPolicy() throws Exception {
    serve();

    HttpResponse<String> index =
        send(HttpRequest.newBuilder(root.resolve("/brownout/")).timeout(TIMEOUT));
    HttpResponse<String> script =
        send(HttpRequest.newBuilder(root.resolve("/brownout/app.js")).timeout(TIMEOUT));

    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<title>test page</title>");
    assertThat(contentType(index)).isEqualTo("text/html;charset=utf-8");
    assertThat(index.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).startsWith("default-src 'self'").doesNotContain("unsafe"));
    assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(index.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(contentType(script)).isEqualTo("text/javascript;charset=utf-8");
  }

  @Test
  void theBasePathWithoutASlashRedirectsToThePage() throws Exception {
    serve();

    HttpResponse<String> response =
        send(HttpRequest.newBuilder(root.resolve("/brownout")).timeout(TIMEOUT));

    assertThat(response.statusCode()).isEqualTo(308);
    assertThat(response.headers().firstValue("Location")).hasValue("/brownout/");
  }

  @Test
  void onlyTheListedPageFilesAreServed() throws Exception {
    serve();

    for (String path :
        List.of(
            "/brownout/notes.unknown",
            "/brownout/missing.js",
            "/brownout/..%2fAdminApi.class",
            "/brownout/%2e%2e/AdminApi.class",
            "/brownout/.hidden",
            "/brownout/testpage/index.html")) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(root.resolve(path)).timeout(TIMEOUT));
      assertThat(response.statusCode()).as(path).isIn(400, 404);
    }
  }

  // ---- writes

  @Test
  void aFeatureWriteSwitchesItAndIsAuditedInTheHistoryAndTheStream() throws Exception {
    serve();
    Events events = follow(null);

    HttpResponse<String> response =
        send(
            post(
                "/brownout/api/v1/features/feed.recommendations",
                "{\"switch\":\"OFF\",\"reason\":\"store is down\",\"expiresInSeconds\":600}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();
    assertThat(features.feature("feed.recommendations").state().expiresAt()).isAfter(Instant.now());
    assertThat(send(get("/brownout/api/v1/history")).body())
        .contains("\"feature\":\"feed.recommendations\",\"from\":\"ON\",\"to\":\"OFF\"")
        .contains("store is down\",\"by\":\"admin\"");
    events.await("feature", "\"name\":\"feed.recommendations\"");
  }

  @Test
  void aRolloutWriteSetsTheShare() throws Exception {
    serve();

    HttpResponse<String> response =
        send(
            post(
                "/brownout/api/v1/features/feed",
                "{\"switch\":\"ROLLOUT\",\"percent\":25,\"reason\":\"canary\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(features.feature("feed").state().setting())
        .isEqualTo(Switch.rollout(25).because("canary").by("admin"));
  }

  @Test
  void aLevelWriteSetsTheLevelAndReachesTheStream() throws Exception {
    serve();
    Events events = follow(null);

    HttpResponse<String> response =
        send(post("/brownout/api/v1/level", "{\"level\":2,\"reason\":\"evening peak\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(features.level()).isEqualTo(2);
    assertThat(response.body()).contains("\"level\":2,\"cause\":\"evening peak\"");
    Event event = events.await("level", "\"level\":2");
    String level = send(get("/brownout/api/v1/level")).body();
    assertThat(event.data())
        .as("the event is GET level plus the change")
        .startsWith(level.substring(0, level.length() - 1) + ",\"change\":{");
  }

  @Test
  void aBreakerWriteForcesItAndTheTransitionReachesTheStream() throws Exception {
    serve();
    Events events = follow(null);

    HttpResponse<String> response =
        send(
            post(
                "/brownout/api/v1/breakers/recommendations",
                "{\"action\":\"force-open\",\"reason\":\"drill\"}"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    events.await("breaker", "\"state\":\"FORCED_OPEN\"");
    assertThat(send(get("/brownout/api/v1/history")).body())
        .contains(
            "\"kind\":\"breaker\",\"feature\":\"recommendations\",\"from\":\"CLOSED\",\"to\":\"FORCED_OPEN\",\"reason\":\"drill\"");
  }

  @Test
  void aBreakerStateChangeMadeInTheServiceReachesTheStream() throws Exception {
    serve();
    Events events = follow(null);

    breaker.forceOpen();

    events.await("breaker", "\"name\":\"recommendations\",\"state\":\"FORCED_OPEN\"");
  }

  @Test
  void anIncidentReachesTheStateAndTheStream() throws Exception {
    serve();
    Events events = follow(null);

    incidents.incident(
        Incident.of("GET /questions/{id}", new IllegalStateException("boom"), Instant.now()),
        new IllegalStateException("boom"));

    events.await("incident", "\"kind\":\"java.lang.IllegalStateException\"");
    assertThat(send(get("/brownout/api/v1/incidents")).body()).contains("GET /questions/{id}");
  }

  @Test
  void writesNeedTheTokenAReasonAndJson() throws Exception {
    serve();

    HttpResponse<String> noToken =
        send(
            HttpRequest.newBuilder(root.resolve("/brownout/api/v1/level"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"level\":1,\"reason\":\"x\"}"))
                .timeout(TIMEOUT));
    HttpResponse<String> noReason = send(post("/brownout/api/v1/level", "{\"level\":1}"));
    HttpResponse<String> blankReason =
        send(post("/brownout/api/v1/level", "{\"level\":1,\"reason\":\"  \"}"));
    HttpResponse<String> form =
        send(
            authorized("/brownout/api/v1/level")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("level=1&reason=x")));
    HttpResponse<String> badJson = send(post("/brownout/api/v1/level", "{\"level\":1,"));
    HttpResponse<String> badLevel =
        send(post("/brownout/api/v1/level", "{\"level\":9,\"reason\":\"x\"}"));
    HttpResponse<String> unknownFeature =
        send(post("/brownout/api/v1/features/nope", "{\"switch\":\"OFF\",\"reason\":\"x\"}"));
    HttpResponse<String> badSwitch =
        send(post("/brownout/api/v1/features/feed", "{\"switch\":\"DIM\",\"reason\":\"x\"}"));

    assertProblem(noToken, 401);
    assertProblem(noReason, 400);
    assertThat(noReason.body()).contains("reason");
    assertProblem(blankReason, 400);
    assertProblem(form, 415);
    assertProblem(badJson, 400);
    assertProblem(badLevel, 400);
    assertThat(badLevel.body()).contains("level must be from 0 to 4, but was 9");
    assertProblem(unknownFeature, 404);
    assertProblem(badSwitch, 400);
    assertThat(features.level()).isZero();
    assertThat(features.find("nope")).isNull();
    assertThat(features.feature("feed").isEnabled()).isTrue();
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    serve(AdminApi.builder(brownout, features).token(TOKEN).maxBodyBytes(64));

    HttpResponse<String> response =
        send(
            post("/brownout/api/v1/level", "{\"level\":1,\"reason\":\"" + "x".repeat(100) + "\"}"));

    assertProblem(response, 413);
    assertThat(features.level()).isZero();
  }

  // ---- the stream

  @Test
  void theStreamSendsASummaryEverySecondWithMonotoneIds() throws Exception {
    serve();
    Events events = follow(null);

    events.await("summary", "\"level\":0");
    features.setLevel(1, "test");
    events.await("level", "\"level\":1");
    events.await("summary", "\"level\":1");

    assertThat(events.ids()).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aReconnectWithLastEventIdReplaysTheEventsAfterIt() throws Exception {
    serve();
    Events first = follow(null);
    features.setLevel(1, "one");
    Event one = first.await("level", "\"level\":1");
    features.setLevel(2, "two");
    features.setLevel(3, "three");
    first.await("level", "\"level\":3");

    long seen = one.id();
    Events again = follow(one.wireId());

    Event two = again.await("level", "\"level\":2");
    assertThat(two.id()).isEqualTo(seen + 1 + countBetween(first, seen, two.data()));
    again.await("level", "\"level\":3");
    assertThat(again.names()).doesNotContain("reset");
  }

  @Test
  void aStreamStartedFromTheStatesLastEventIdMissesNothingMadeInBetween() throws Exception {
    serve();
    features.setLevel(1, "before the read");
    String state = send(get("/brownout/api/v1/state")).body();
    Matcher id = Pattern.compile("\"lastEventId\":\"([0-9a-z]+-[0-9]+)\"").matcher(state);
    assertThat(id.find()).as(state).isTrue();
    assertThat(state).contains("\"level\":{\"level\":1,");

    features.setLevel(2, "between the read and the stream");
    Events events = follow(id.group(1));

    events.await("level", "\"level\":2");
    assertThat(events.all())
        .as("the change the state already had is not sent again")
        .noneMatch(e -> e.name().equals("level") && e.data().startsWith("{\"level\":1,"));
    assertThat(events.names()).doesNotContain("reset");
  }

  @Test
  void aReconnectAfterTheRingMovedOnGetsAReset() throws Exception {
    serve(AdminApi.builder(brownout, features).token(TOKEN).replayedEvents(2));
    Events first = follow(null);
    features.setLevel(1, "one");
    Event seen = first.await("level", "\"level\":1");
    for (int level = 2; level <= 4; level++) {
      features.setLevel(level, "step");
    }
    first.await("level", "\"level\":4");

    Events again = follow(seen.wireId());

    again.await("reset", "\"lastEventId\":\"" + seen.wireId() + "\"");
  }

  @Test
  void anIdOfTheAdminBeforeARestartGetsAResetNotAnotherAdminsEvents() throws Exception {
    serve();
    Event before = follow(null).await("summary", "\"level\":0");
    admin.close();
    stop();
    serve();
    for (int level = 1; lastEventNumber() <= before.id(); level++) {
      features.setLevel(level % 5, "after the restart");
    }

    Events again = follow(before.wireId());

    again.await("reset", "\"lastEventId\":\"" + before.wireId() + "\"");
    assertThat(again.names()).as("nothing replayed").startsWith("reset");
  }

  private long lastEventNumber() throws Exception {
    Matcher id =
        Pattern.compile("\"lastEventId\":\"[0-9a-z]+-([0-9]+)\"")
            .matcher(send(get("/brownout/api/v1/state")).body());
    assertThat(id.find()).isTrue();
    return Long.parseLong(id.group(1));
  }

  private static long countBetween(Events events, long after, String data) {
    return events.all().stream()
        .filter(e -> e.id() > after)
        .takeWhile(e -> !e.data().equals(data))
        .count();
  }

  // ---- helpers

  void assertProblem(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(contentType(response)).isEqualTo("application/problem+json");
    assertThat(response.body()).contains("\"status\":" + status);
  }

  /** The content type without spaces: servers differ in the space after the ';'. */
  static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  HttpRequest.Builder authorized(String path) {
    return HttpRequest.newBuilder(root.resolve(path))
        .header("Authorization", "Bearer " + TOKEN)
        .timeout(TIMEOUT);
  }

  HttpRequest.Builder get(String path) {
    return authorized(path);
  }

  HttpRequest.Builder post(String path, String json) {
    return authorized(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return CLIENT.send(request.build(), BodyHandlers.ofString());
  }

  /** An event as sent: its wire id ({@code epoch-number}), name and data. */
  record Event(String wireId, String name, String data) {
    /** The event's number within its admin's epoch. */
    long id() {
      return Long.parseLong(wireId.substring(wireId.indexOf('-') + 1));
    }
  }

  /** Follows the event stream on a thread of the client; the test closes it. */
  Events follow(String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(root.resolve("/brownout/api/v1/events"))
            .header("Authorization", "Bearer " + TOKEN);
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<Stream<String>> response = CLIENT.send(request.build(), BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(contentType(response)).isEqualTo("text/event-stream;charset=utf-8");
    Stream<String> lines = response.body();
    streams.add(lines);
    Events events = new Events();
    Thread reader = new Thread(() -> events.read(lines), "test-events");
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  static final class Events {
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

    void read(Stream<String> lines) {
      String[] id = {null};
      String[] name = {null};
      try {
        lines.forEach(
            line -> {
              if (line.startsWith("id: ")) {
                id[0] = line.substring(4);
              } else if (line.startsWith("event: ")) {
                name[0] = line.substring(7);
              } else if (line.startsWith("data: ")) {
                events.add(new Event(id[0], name[0], line.substring(6)));
              }
            });
      } catch (RuntimeException closed) {
        // the test closed the stream
      }
    }

    Event await(String name, String containing) {
      return org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.stream()
                      .filter(e -> e.name().equals(name) && e.data().contains(containing))
                      .findFirst(),
              java.util.Optional::isPresent)
          .orElseThrow();
    }

    List<Event> all() {
      return List.copyOf(events);
    }

    List<Long> ids() {
      return events.stream().map(Event::id).toList();
    }

    List<String> names() {
      return events.stream().map(Event::name).toList();
    }
  }
}
