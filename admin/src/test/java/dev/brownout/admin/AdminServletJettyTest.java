package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The Servlet adapter inside a real embedded Jetty 12 (ee10), over real HTTP. */
class AdminServletJettyTest extends AdminOverHttpContract {

  private Server server;
  private String contextPath = "/";

  @Override
  URI start(AdminApi admin) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(host.getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    context.addServlet(new ServletHolder(new AdminServlet(admin)), admin.basePath() + "/*");
    server.setHandler(context);
    server.start();
    return URI.create(
        "http://"
            + host.getHostAddress()
            + ":"
            + connector.getLocalPort()
            + (contextPath.equals("/") ? "" : contextPath));
  }

  @Override
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void theBasePathIsReadWithinTheWebApplication() throws Exception {
    contextPath = "/shop";
    serve();

    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(root + "/brownout/api/v1/level"))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(20)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("{\"level\":0,");
  }
}
