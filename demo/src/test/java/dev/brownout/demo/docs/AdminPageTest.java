package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminHandler;
import dev.brownout.admin.AdminServer;
import dev.brownout.admin.AdminServlet;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.recover.Recover;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/admin.md, run over real HTTP. */
class AdminPageTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Features features = Features.of(brownout);
  private final String token = AdminApi.randomToken();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void close() {
    features.close();
    brownout.close();
  }

  @Test
  void itsOwnPortOnTheJdkHttpServer() throws Exception {
    features.define("feed.recommendations").register();
    int port = 0;
    // docs:begin
    RecentIncidents incidents = RecentIncidents.keeping(100);  // the incidents the admin shows
    Recover recover = Recover.builder().log(incidents).build(); // still logged to SLF4J
    AdminApi admin = AdminApi.builder(brownout, features)
        .token(token)          // from your secret store; AdminApi.randomToken() makes one
        .incidents(incidents)
        .build();
    AdminServer server = AdminServer.start(admin, port);       // 127.0.0.1 only
    System.out.println("admin page: " + server.uri());          // http://127.0.0.1:9090/brownout/
    // docs:end
    try (server; admin) {
      assertThat(recover).isNotNull();
      assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
      HttpResponse<String> state = get(server.uri().resolve("api/v1/features"));
      assertThat(state.statusCode()).isEqualTo(200);
      assertThat(state.body()).contains("\"name\":\"feed.recommendations\"");
    }
  }

  @Test
  void inAnHttpServerTheServiceAlreadyRuns() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService threads = Executors.newFixedThreadPool(12);
    server.setExecutor(threads);
    try (AdminApi admin = AdminApi.builder(brownout, features).token(token).build()) {
      // docs:begin
      server.createContext(admin.basePath(), new AdminHandler(admin));
      // docs:end
      server.start();
      HttpResponse<String> level =
          get(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/brownout/api/v1/level"));
      assertThat(level.statusCode()).isEqualTo(200);
      assertThat(level.body()).startsWith("{\"level\":0,");
    } finally {
      server.stop(0);
      threads.shutdownNow();
    }
  }

  @Test
  void inAServletContainer() throws Exception {
    Server jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/shop");
    try (AdminApi admin = AdminApi.builder(brownout, features).token(token).build()) {
      // docs:begin
      context.addServlet(new ServletHolder(new AdminServlet(admin)), admin.basePath() + "/*");
      // docs:end
      jetty.setHandler(context);
      jetty.start();
      HttpResponse<String> level =
          get(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop/brownout/api/v1/level"));
      assertThat(level.statusCode()).isEqualTo(200);
    } finally {
      jetty.stop();
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
