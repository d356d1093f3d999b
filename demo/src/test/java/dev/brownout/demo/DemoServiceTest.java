package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The service over real HTTP: its documented responses, the admin token, the crash route, metrics.
 */
class DemoServiceTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Downstreams downstreams;
  private final QaService service;
  private final HttpClient client = HttpClient.newHttpClient();

  DemoServiceTest() throws Exception {
    downstreams = new Downstreams();
    service = new QaService(brownout, downstreams, 0);
  }

  @AfterEach
  void close() {
    service.close();
    downstreams.close();
    brownout.close();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.uri() + path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(service.uri() + path))
            .header("Authorization", "Bearer " + service.token())
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A read of the library's admin API ({@code api/v1/...}), with the service's token. */
  private HttpResponse<String> admin(String route) throws Exception {
    return client.send(
        HttpRequest.newBuilder(service.adminUri().resolve("api/v1/" + route))
            .header("Authorization", "Bearer " + service.token())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A write to the library's admin API: a JSON body, with the service's token. */
  private HttpResponse<String> admin(String route, String json) throws Exception {
    return client.send(
        HttpRequest.newBuilder(service.adminUri().resolve("api/v1/" + route))
            .header("Authorization", "Bearer " + service.token())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String type(HttpResponse<String> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  @Test
  void aQuestionPageHasItsCoreAndThreeLiveParts() throws Exception {
    HttpResponse<String> page = get("/questions/7", null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(type(page)).isEqualTo("application/json");
    assertThat(page.body())
        .contains("\"id\":7", "\"answers\":[\"Shed the optional features first")
        .contains(
            "\"comments\":{\"servedBy\":\"live\"",
            "\"avatar\":{\"servedBy\":\"live\"",
            "\"recommendations\":{\"servedBy\":\"live\"");
  }

  @Test
  void theAdminRoutesRefuseRequestsWithoutTheToken() throws Exception {
    HttpResponse<String> none = get("/admin/downstreams", null);
    HttpResponse<String> wrong = get("/admin/downstreams", "not-the-token");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(type(none)).isEqualTo("application/problem+json");
    assertThat(none.body()).doesNotContain(service.token());
    assertThat(get("/admin/downstreams", service.token()).statusCode()).isEqualTo(200);
    for (String route : new String[] {"features", "breakers", "executors", "incidents"}) {
      HttpResponse<String> refused =
          client.send(
              HttpRequest.newBuilder(service.adminUri().resolve("api/v1/" + route)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).as(route).isEqualTo(401);
      assertThat(admin(route).statusCode()).as(route).isEqualTo(200);
    }
    HttpRequest unauthorizedWrite =
        HttpRequest.newBuilder(service.adminUri().resolve("api/v1/features/extras.comments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"switch\":\"OFF\",\"reason\":\"x\"}"))
            .build();
    assertThat(client.send(unauthorizedWrite, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(401);
    assertThat(get("/questions/1", null).body()).contains("\"comments\":{\"servedBy\":\"live\"");
  }

  @Test
  void switchingAFeatureOffServesItsSubstituteAndTheAdminShowsWhy() throws Exception {
    HttpResponse<String> off =
        admin(
            "features/extras.recommendations",
            "{\"switch\":\"OFF\",\"expiresInSeconds\":300,\"reason\":\"demo test\"}");

    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
    assertThat(off.body())
        .contains(
            "\"effective\":\"OFF\"",
            "\"cause\":\"switched off by admin: demo test\"",
            "\"source\":\"admin\"");
    assertThat(get("/questions/2", null).body())
        .contains("\"recommendations\":{\"servedBy\":\"default\"");
    assertThat(admin("features").body()).contains("\"name\":\"extras.recommendations\"");

    HttpResponse<String> bad =
        admin("features/extras.recommendations", "{\"switch\":\"DIMMED\",\"reason\":\"x\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(type(bad)).isEqualTo("application/problem+json");
    assertThat(bad.body()).contains("DIMMED");

    assertThat(admin("level", "{\"level\":4,\"reason\":\"load test\"}").statusCode())
        .isEqualTo(200);
    assertThat(get("/questions/3", null).body())
        .contains("\"avatar\":{\"servedBy\":\"default\"", "\"answers\":[");
  }

  @Test
  void aPageSeenBeforeAnOutageIsServedFromTheLastGoodValue() throws Exception {
    // The page is seen live first. On a loaded machine the first calls of a cold JVM can outlast
    // the
    // part's timeout and be served by the fallback; the page is then asked again until it is live.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(get("/questions/5", null).body())
                    .contains("\"recommendations\":{\"servedBy\":\"live\""));
    admin("features/extras.recommendations", "{\"switch\":\"OFF\",\"reason\":\"outage\"}");

    assertThat(get("/questions/5", null).body())
        .contains("\"recommendations\":{\"servedBy\":\"last-good\",\"items\":[\"");
    assertThat(get("/questions/6", null).body())
        .contains("\"recommendations\":{\"servedBy\":\"default\"");
  }

  @Test
  void theCrashRouteAnswersAProblemAndIsCountedAndListed() throws Exception {
    HttpResponse<String> crash = get("/questions/" + QaService.CURSED, null);

    assertThat(crash.statusCode()).isEqualTo(500);
    assertThat(type(crash)).isEqualTo("application/problem+json");
    assertThat(crash.body())
        .contains("\"incident\":\"inc-")
        .doesNotContain("cursed", "IllegalState", "at dev.");
    assertThat(service.incidentsRecovered()).isEqualTo(1);
    assertThat(admin("incidents").body())
        .contains(
            "\"kind\":\"java.lang.IllegalStateException\"", "\"place\":\"GET /questions/{id}\"");
    assertThat(get("/metrics", null).body())
        .contains(
            "brownout_recover_incidents_total{exception=\"java.lang.IllegalStateException\",place=\"GET /questions/{id}\"} 1.0");
  }

  @Test
  void anythingElseIsADocumentedProblem() throws Exception {
    for (String path :
        new String[] {"/questions/999", "/questions/abc", "/nothing-here", "/admin/nothing"}) {
      HttpResponse<String> response = get(path, service.token());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(type(response)).as(path).isEqualTo("application/problem+json");
    }
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(service.uri() + "/questions/1"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
  }

  @Test
  void theDownstreamsCanBeChangedWhileRunning() throws Exception {
    HttpResponse<String> changed = put("/admin/downstreams/comments", "latency=20ms failure=0.5");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).contains("\"comments\":{").contains("\"failureRate\":0.5");
    assertThat(put("/admin/downstreams/comments", "failure=2").statusCode()).isEqualTo(400);
    assertThat(put("/admin/downstreams/nope", "failure=0").statusCode()).isEqualTo(400);
  }

  @Test
  void anOperatorRunsTheMigrationThroughTheAdmin() throws Exception {
    String experiment = "features/" + CommentsMigration.EXPERIMENT;
    assertThat(admin("shifts").body()).isEqualTo("[]");
    assertThat(admin(experiment, "{\"switch\":\"ON\"}").statusCode())
        .as("no reason")
        .isEqualTo(400);
    HttpResponse<String> on =
        admin(experiment, "{\"switch\":\"ON\",\"reason\":\"compare v2.0 with v1\"}");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(admin("experiments").body())
        .contains("\"name\":\"" + CommentsMigration.EXPERIMENT + "\",\"sampling\":\"ON\"");
    for (int question = 1; question <= 30; question++) {
      if (question != QaService.CURSED) {
        assertThat(get("/questions/" + question, null).statusCode()).isEqualTo(200);
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(admin("experiments").body()).contains("\"path\":\"comments[order]\""));
    assertThat(admin(experiment, "{\"switch\":\"OFF\",\"reason\":\"enough\"}").body())
        .contains("\"effective\":\"OFF\"");

    HttpResponse<String> started = put("/admin/shifts/comments-v2-2", "start canary");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(started.body())
        .isEqualTo("{\"name\":\"comments-v2-2\",\"state\":\"SHIFTING\",\"share\":25.0}");
    assertThat(put("/admin/shifts/comments-v2-2", "start again").statusCode()).isEqualTo(409);
    assertThat(put("/admin/shifts/comments-v2-1", "start too").statusCode())
        .as("another shift is under way")
        .isEqualTo(409);
    assertThat(put("/admin/shifts/comments-v2-2", "pause store incident").statusCode())
        .as("the demo's route only starts shifts")
        .isEqualTo(400);
    String shift = "shifts/comments-v2-2";
    assertThat(admin(shift, "{\"action\":\"pause\"}").statusCode()).isEqualTo(400);
    assertThat(admin(shift, "{\"action\":\"pause\",\"reason\":\"store incident\"}").body())
        .contains("\"state\":\"PAUSED\"");
    assertThat(admin(shift, "{\"action\":\"resume\",\"reason\":\"incident over\"}").body())
        .contains("\"state\":\"SHIFTING\"");
    assertThat(admin(shift, "{\"action\":\"rollback\",\"reason\":\"looked slow\"}").body())
        .contains("\"state\":\"ROLLED_BACK\"", "\"share\":0.0");
    assertThat(admin(shift, "{\"action\":\"promote\",\"reason\":\"after all\"}").body())
        .contains("\"state\":\"PROMOTED\"", "\"share\":100.0");
    assertThat(put("/admin/shifts/comments-v3", "start now").statusCode()).isEqualTo(404);
    assertThat(
            admin("shifts/comments-v2-1", "{\"action\":\"pause\",\"reason\":\"why\"}").statusCode())
        .as("never started, so never built")
        .isEqualTo(404);
    assertThat(get("/questions/5", null).body()).contains("\"comments\":{\"servedBy\":\"live\"");
    assertThat(brownout.findCircuitBreaker("comments")).isPresent();
    assertThat(Features.of(brownout).history())
        .anySatisfy(
            change ->
                assertThat(change.setting())
                    .hasToString("OFF reason=shift rolled back: looked slow"));
  }

  /** The library's admin page and API, on their own port, with the service's token. */
  @Test
  void theAdminPageAndApiAreServedWithTheServicesToken() throws Exception {
    HttpResponse<String> page =
        client.send(
            HttpRequest.newBuilder(service.adminUri()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(type(page)).startsWith("text/html");
    assertThat(page.body()).contains("<title>Brownout admin</title>");

    HttpResponse<String> state =
        client.send(
            HttpRequest.newBuilder(service.adminUri().resolve("api/v1/state"))
                .header("Authorization", "Bearer " + service.token())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(state.body())
        .contains("\"name\":\"extras.comments\"", "\"name\":\"comments\"", "\"level\"");
    HttpResponse<String> refused =
        client.send(
            HttpRequest.newBuilder(service.adminUri().resolve("api/v1/state")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(401);

    assertThat(get("/questions/" + QaService.CURSED, null).statusCode()).isEqualTo(500);
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(service.adminUri().resolve("api/v1/incidents"))
                        .header("Authorization", "Bearer " + service.token())
                        .GET()
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .as("a recovered incident reaches the admin")
        .contains("GET /questions/{id}");
  }

  @Test
  void helpAndBadOptions() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
    assertThat(Demo.run(new String[] {"--help"}, out)).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("Usage: demo", "--serve", "--seconds");
    assertThat(Demo.run(new String[] {"--frobnicate"}, out)).isEqualTo(2);
    assertThat(Demo.run(new String[] {"--seconds", "1"}, out)).isEqualTo(2);
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("unknown option '--frobnicate'", "--seconds needs a whole number from 10");
  }
}
