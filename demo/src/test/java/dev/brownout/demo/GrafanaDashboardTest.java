package dev.brownout.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard ({@code docs/grafana/brownout.json}) queries only meters that exist: the
 * demo's service runs through what makes every kind of meter appear (pages, the crash route, an
 * experiment, a shift, a dependency failing until its breaker opens), its {@code /metrics} is
 * scraped over HTTP, and every {@code brownout_*} name in every panel's PromQL and in the
 * variables' queries must be a sample name of that scrape.
 */
class GrafanaDashboardTest {

  private static final Path DASHBOARD = Path.of("../docs/grafana/brownout.json");
  private static final Pattern METRIC = Pattern.compile("\\bbrownout_[a-zA-Z0-9_:]+");

  private final Brownout brownout = Brownout.builder().build();
  private final Downstreams downstreams;
  private final QaService service;
  private final HttpClient client = HttpClient.newHttpClient();

  GrafanaDashboardTest() throws Exception {
    downstreams = new Downstreams();
    service = new QaService(brownout, downstreams, 0);
  }

  @AfterEach
  void close() {
    service.close();
    downstreams.close();
    brownout.close();
  }

  @Test
  void everyMetricTheDashboardQueriesIsInAScrapeOfTheDemo() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    String scrape = runTheServiceAndScrape();
    Set<String> scraped = new HashSet<>();
    for (String line : scrape.lines().toList()) {
      if (!line.startsWith("#") && !line.isBlank()) {
        scraped.add(line.split("[{ ]", 2)[0]);
      }
    }

    List<String> queries = new ArrayList<>();
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as("panel '%s' reads the dashboard's data source variable", panel.path("title"))
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets"))
          .as("panel '%s' has queries", panel.path("title"))
          .isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        List<String> names = metrics(expr);
        assertThat(names)
            .as("panel '%s' queries a brownout meter: %s", panel.path("title"), expr)
            .isNotEmpty();
        queries.add(expr);
        queried.addAll(names);
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      String query =
          variable.path("query").isObject()
              ? variable.path("query").path("query").asText()
              : variable.path("query").asText();
      queried.addAll(metrics(query));
    }

    assertThat(queries).hasSizeGreaterThan(15);
    assertThat(queried)
        .as("every meter the dashboard queries, in a scrape of the demo:\n%s", scrape)
        .allSatisfy(name -> assertThat(scraped).contains(name))
        .contains(
            "brownout_level",
            "brownout_breaker_state",
            "brownout_executor_running",
            "brownout_limiter_limit",
            "brownout_recover_incidents_total",
            "brownout_experiment_verdicts_total",
            "brownout_shift_share");
  }

  @Test
  void theDashboardIsWellFormedForGrafana() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    assertThat(dashboard.path("uid").asText()).isEqualTo("brownout");
    assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
      JsonNode at = panel.path("gridPos");
      assertThat(at.path("x").asInt() + at.path("w").asInt())
          .as("panel '%s' fits the 24-column grid", panel.path("title"))
          .isLessThanOrEqualTo(24);
    }
    assertThat(dashboard.path("templating").path("list"))
        .extracting(v -> v.path("name").asText())
        .containsExactly("datasource", "job");
  }

  private static List<String> metrics(String promql) {
    List<String> names = new ArrayList<>();
    Matcher matcher = METRIC.matcher(promql);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  /**
   * Runs the service through pages, the crash route, the comments experiment and a shift, and a
   * comments outage until its breaker opens; returns its {@code /metrics}.
   */
  private String runTheServiceAndScrape() throws Exception {
    switchExperiment("ON", "compare");
    for (int question = 1; question <= 20; question++) {
      get("/questions/" + question); // 13 crashes: a recovered incident
    }
    switchExperiment("OFF", "enough");
    put("/admin/shifts/comments-v2-2", "start canary");
    put("/admin/downstreams/comments", "failure=1");
    CircuitBreaker comments = brownout.findCircuitBreaker("comments").orElseThrow();
    AtomicInteger question = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              get("/questions/" + (1 + question.getAndIncrement() % 12));
              return comments.state() == CircuitBreaker.State.OPEN;
            });
    return get("/metrics").body();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(service.uri() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Switches the comments experiment's sampling in the library's admin API. */
  private void switchExperiment(String setting, String reason) throws Exception {
    URI feature = service.adminUri().resolve("api/v1/features/" + CommentsMigration.EXPERIMENT);
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(feature)
                .header("Authorization", "Bearer " + service.token())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"switch\":\"" + setting + "\",\"reason\":\"" + reason + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(feature + ": " + response.body()).isEqualTo(200);
  }

  private void put(String path, String body) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(service.uri() + path))
                .header("Authorization", "Bearer " + service.token())
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
  }
}
