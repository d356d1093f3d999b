package dev.brownout.demo.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 17: the demo server (the model the README gives for the JDK-server filter)
 * answered client errors as its own: {@code latency=106751991167300d} and a truncated upload got a
 * 500 (the upload also an incident), {@code /metrics} answered any method, {@code HEAD} got 405
 * where {@code GET} works, every admin PUT of a new feature name created a permanent feature and
 * gauge, and {@code --serve} logged to standard error rather than its log file.
 */
class HostileRequestsTest {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static ServedDemo demo;

  @BeforeAll
  static void serve() throws IOException {
    demo = new ServedDemo();
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  @Test
  void aLatencyTooLargeForTheDownstreamIsA400NamingTheSetting() throws Exception {
    HttpResponse<String> response =
        send(
            admin("/admin/downstreams/comments")
                .PUT(BodyPublishers.ofString("latency=106751991167300d")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("latency", "106751991167300d");
    assertThat(send(adminApi("incidents").GET()).body()).doesNotContain("\"place\":\"/admin/");
  }

  @Test
  void unknownOrMalformedDownstreamSettingsAreRefusedNotIgnored() throws Exception {
    for (String body : new String[] {"latncy=5ms", "failure", "failure=lots"}) {
      HttpResponse<String> response =
          send(admin("/admin/downstreams/comments").PUT(BodyPublishers.ofString(body)));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body())
          .as(body)
          .contains(body.contains("=") ? body.substring(0, body.indexOf('=')) : body);
    }
  }

  @Test
  void aTruncatedUploadIsA400AndNotAnIncident() throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.port())) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("PUT /admin/downstreams/comments HTTP/1.1\r\nHost: localhost\r\nAuthorization:"
                      + " Bearer "
                      + demo.token()
                      + "\r\nContent-Length: 100\r\n\r\nfailure=0.")
                  .getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();

      String reply = readAll(socket.getInputStream());

      assertThat(reply).startsWith("HTTP/1.1 400 ");
    }
    assertThat(send(adminApi("incidents").GET()).body()).doesNotContain("\"place\":\"/admin/");
  }

  @Test
  void metricsAnswersOnlyGetAndHead() throws Exception {
    for (String method : new String[] {"POST", "PUT", "DELETE"}) {
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(demo.uri().resolve("/metrics"))
                  .method(method, BodyPublishers.ofString("x")));
      assertThat(response.statusCode()).as(method).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).as(method).hasValue("GET, HEAD");
    }
  }

  @Test
  void headWorksWhereGetDoes() throws Exception {
    for (String path : new String[] {"/questions/1", "/metrics", "/admin/downstreams"}) {
      HttpResponse<String> get = send(admin(path).GET());
      HttpResponse<String> head = send(admin(path).method("HEAD", BodyPublishers.noBody()));
      assertThat(head.statusCode()).as(path).isEqualTo(200);
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.headers().firstValue("Content-Type"))
          .as(path)
          .isEqualTo(get.headers().firstValue("Content-Type"));
    }
    HttpResponse<String> missing =
        send(admin("/questions/999").method("HEAD", BodyPublishers.noBody()));
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void aSwitchForAFeatureTheServiceDoesNotHaveIsRefusedAndCreatesNothing() throws Exception {
    HttpResponse<String> response =
        send(adminApi("features/made.up.feature").POST(switchOff("made up")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("made.up.feature");
    assertThat(send(adminApi("features").GET()).body()).doesNotContain("made.up");
    assertThat(send(admin("/metrics").GET()).body()).doesNotContain("made.up");
    assertThat(send(adminApi("features/extras.comments").POST(switchOff("known"))).statusCode())
        .isEqualTo(200);
  }

  private static HttpRequest.BodyPublisher switchOff(String reason) {
    return BodyPublishers.ofString("{\"switch\":\"OFF\",\"reason\":\"" + reason + "\"}");
  }

  @Test
  void theServedDemoLogsToItsLogFileNotStandardError() throws Exception {
    assertThat(send(admin("/questions/13").GET()).statusCode()).isEqualTo(500);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(demo.logFile()).exists();
              assertThat(Files.readString(demo.logFile())).contains("Incident inc-");
            });
    assertThat(demo.standardError()).doesNotContain("Incident", "INFO", "ERROR");
  }

  /** A request to the library's admin API ({@code api/v1/...}) the demo serves, with its token. */
  private static HttpRequest.Builder adminApi(String route) {
    return HttpRequest.newBuilder(demo.adminUri().resolve("api/v1/" + route))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + demo.token())
        .header("Content-Type", "application/json");
  }

  private static HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(demo.uri().resolve(path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + demo.token());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        bytes.write(buffer, 0, n);
      }
    } catch (IOException reset) {
      // what arrived before the reset is the answer
    }
    return bytes.toString(StandardCharsets.ISO_8859_1);
  }
}
