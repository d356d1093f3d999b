package dev.brownout.spring.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The admin page on a management port of its own, in Tomcat, over real HTTP. */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "management.endpoints.web.exposure.include=brownout",
      "brownout.admin.enabled=true",
      "brownout.admin.token=" + AdminOnManagementPortTest.TOKEN,
      "brownout.features.shop.recommendations=OFF reason=recommender is down"
    })
class AdminOnManagementPortTest {

  static final String TOKEN = "management-port-admin-token";
  private static final String ADMIN = "/actuator/brownout-admin/";

  private final HttpClient http = HttpClient.newHttpClient();

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  @Test
  void thePageIsServedOnTheManagementPort() throws Exception {
    HttpResponse<String> page = get(managementPort, ADMIN, null);

    assertThat(managementPort).isNotEqualTo(port);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
  }

  @Test
  void theApiAnswersWithTheToken() throws Exception {
    HttpResponse<String> features = get(managementPort, ADMIN + "api/v1/features", TOKEN);

    assertThat(features.statusCode()).isEqualTo(200);
    assertThat(features.body())
        .contains("\"name\":\"shop.recommendations\"")
        .contains("\"reason\":\"recommender is down\"");
  }

  @Test
  void theApiRefusesARequestWithoutTheToken() throws Exception {
    assertThat(get(managementPort, ADMIN + "api/v1/features", null).statusCode()).isEqualTo(401);
    assertThat(
            get(managementPort, ADMIN + "api/v1/features", "wrong-token-of-some-length")
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void nothingOfTheAdminIsOnTheApplicationPort() throws Exception {
    assertThat(get(port, ADMIN, null).statusCode()).isEqualTo(404);
    assertThat(get(port, ADMIN + "api/v1/features", TOKEN).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(int port, String path, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
