package dev.brownout.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.degradation.Features;
import dev.brownout.spring.sample.PriceService;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The shop in Tomcat, over real HTTP. */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "brownout.features.shop.recommendations=OFF reason=recommender is down",
      "brownout.guard.PriceService.price.timeout.duration=1s",
      "management.endpoints.web.exposure.include=brownout,health",
      "management.endpoint.health.probes.enabled=true",
      "management.endpoint.health.group.readiness.show-details=always",
      "brownout.health.readiness.enabled=true"
    })
class ShopOverHttpTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @Autowired PriceService prices;
  @Autowired Brownout brownout;
  @Autowired Features features;
  @Autowired MeterRegistry meters;

  @Test
  void theInjectedServiceIsTheGuardedOne() throws Exception {
    assertThat(prices.getClass().getSimpleName()).isEqualTo("Guarded_PriceService");
    assertThat(get("/price/tea").body()).isEqualTo("250");
    assertThat(get("/price/coffee").body()).isEqualTo("-1"); // the fallback
    assertThat(brownout.findGuard("PriceService.price")).isPresent();
  }

  @Test
  void aFeatureIsSwitchedOffByProperties() throws Exception {
    assertThat(get("/recommendations").body()).isEqualTo("[]");
  }

  @Test
  void aCrashBecomesTheRecoveryResponse() throws Exception {
    HttpResponse<String> response = get("/crash");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body())
        .contains("\"incident\":\"")
        .doesNotContain("secret", "IllegalStateException", "at dev.brownout");
    // The incident is the handler's exception, not the dispatcher's ServletException around it.
    assertThat(
            meters
                .find("brownout.recover.incidents")
                .tag("exception", IllegalStateException.class.getName())
                .counter())
        .isNotNull();
    String incident = response.body().replaceAll(".*\"incident\":\"([^\"]+)\".*", "$1");
    assertThat(get("/actuator/brownout/incidents").body())
        .contains("\"id\":\"" + incident + "\"")
        .contains("\"kind\":\"java.lang.IllegalStateException\"")
        .doesNotContain("secret");
    assertThat(get("/actuator/brownout").body()).contains("\"incidents\":[{");
  }

  @Test
  void theEndpointShowsTheFeatures() throws Exception {
    HttpResponse<String> response = get("/actuator/brownout/features/shop.recommendations");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"name\":\"shop.recommendations\"")
        .contains("\"switch\":\"OFF\"")
        .contains("\"reason\":\"recommender is down\"");
    assertThat(get("/actuator/brownout").body())
        .contains("\"level\":{\"level\":0")
        .contains("\"features\":[")
        .contains("\"breakers\":[")
        .contains("\"executors\":[");
  }

  @Test
  void anUnknownSectionOrFeatureIsNotFound() throws Exception {
    assertThat(get("/actuator/brownout/incidentz").statusCode()).isEqualTo(404);
    assertThat(get("/actuator/brownout/features/shop.typo").statusCode()).isEqualTo(404);
    assertThat(
            post("/actuator/brownout/features/shop.typo", "{\"setting\":\"OFF\",\"reason\":\"x\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(features.find("shop.typo")).isNull();
  }

  @Test
  void aWriteWithAReasonSetsTheLevel() throws Exception {
    try {
      HttpResponse<String> response =
          post("/actuator/brownout/level", "{\"level\":2,\"reason\":\"load test\"}");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"level\":2");
      assertThat(features.level()).isEqualTo(2);
    } finally {
      features.setLevel(0, "test over");
    }
  }

  @Test
  void aWriteWithAReasonSetsTheFeature() throws Exception {
    features.feature("shop.banner");
    HttpResponse<String> response =
        post(
            "/actuator/brownout/features/shop.banner",
            "{\"setting\":\"OFF\",\"reason\":\"banner service is slow\"}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"switch\":\"OFF\"");
    assertThat(features.feature("shop.banner").isEnabled()).isFalse();
    assertThat(features.feature("shop.banner").state().setting().reason())
        .isEqualTo("banner service is slow");
  }

  @Test
  void aWriteWithoutAReasonIsABadRequest() throws Exception {
    features.feature("shop.footer");

    assertThat(
            post("/actuator/brownout/features/shop.footer", "{\"setting\":\"OFF\"}").statusCode())
        .isEqualTo(400);
    assertThat(
            post("/actuator/brownout/features/shop.footer", "{\"setting\":\"OFF\",\"reason\":\"\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(post("/actuator/brownout/level", "{\"level\":2}").statusCode()).isEqualTo(400);
    assertThat(features.feature("shop.footer").isEnabled()).isTrue();
    assertThat(features.level()).isZero();
  }

  @Test
  void anOpenBreakerTakesReadinessOutOfServiceButNotLivenessNorTheOverallHealth() throws Exception {
    CircuitBreaker breaker = brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults());
    try {
      breaker.forceOpen();

      HttpResponse<String> readiness = get("/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body()).contains("OUT_OF_SERVICE").contains("payments");
      assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
      HttpResponse<String> health = get("/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).doesNotContain("brownoutBreakers");
    } finally {
      breaker.reset();
    }
    assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String json)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
