package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminServer;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.recover.Recover;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The endpoint shows what the admin JSON API shows, member for member, for one runtime. */
class EndpointViewsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "endpoint-views-test-token";

  @Test
  void everySectionOfTheEndpointIsTheAdminApisSection() throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      features.feature("shop.banner");
      features.set("shop.avatars", Switch.parse("ROLLOUT 25%").because("trial"), "test");
      features.setLevel(1, "evening");
      brownout.bulkhead("db", BulkheadConfig.builder().maxConcurrentCalls(4).build());
      brownout.executor("render", ExecutorConfig.builder().maxRunning(2).maxQueued(5).build());
      brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults()).forceOpen();
      RecentIncidents incidents = RecentIncidents.keeping(10);
      Recover.builder().log(incidents).build().recover("task:nightly", new IllegalStateException());
      BrownoutEndpoint endpoint = new BrownoutEndpoint(brownout, features, incidents);

      try (AdminApi admin =
              AdminApi.builder(brownout, features).token(TOKEN).incidents(incidents).build();
          AdminServer server = AdminServer.start(admin, 0)) {
        JsonNode state = get(server.uri().resolve("api/v1/state"));
        for (String section :
            List.of("features", "bulkheads", "executors", "limiters", "incidents")) {
          assertThat(tree(endpoint.section(section))).as(section).isEqualTo(state.get(section));
        }
        // The admin adds the controller's last decision; there is none here, in both.
        assertThat(tree(endpoint.section("level"))).isEqualTo(state.get("level"));
        // The admin samples a breaker's last second on its own thread; the members are the same.
        JsonNode breaker = tree(endpoint.section("breakers")).get(0);
        JsonNode adminBreaker = state.get("breakers").get(0);
        assertThat(fieldNames(breaker)).isEqualTo(fieldNames(adminBreaker));
        assertThat(breaker.get("state")).isEqualTo(adminBreaker.get("state"));
        assertThat(breaker.get("rejecting").asBoolean()).isTrue();
      }
    }
  }

  /** The view as its JSON text reads back, so numbers compare as the admin's text does. */
  private static JsonNode tree(@Nullable Object view) throws Exception {
    return JSON.readTree(JSON.writeValueAsString(view));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode get(URI uri) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
