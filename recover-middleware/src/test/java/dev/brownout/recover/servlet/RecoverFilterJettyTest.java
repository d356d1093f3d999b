package dev.brownout.recover.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.recover.CapturingLog;
import dev.brownout.recover.Crashes;
import dev.brownout.recover.Crashes.Route;
import dev.brownout.recover.Recover;
import dev.brownout.recover.RecoverOverHttpContract;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The servlet filter inside a real embedded Jetty 12, over real HTTP. */
class RecoverFilterJettyTest extends RecoverOverHttpContract {

  private Server server;
  private String contextPath = "/";

  @Override
  protected URI start(Recover recover, boolean placeFromRouteHeader) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(contextPath);
    context.addServlet(new ServletHolder(new Routes()), "/*");
    context.addFilter(
        new FilterHolder(filter(recover, placeFromRouteHeader)),
        "/*",
        EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Test
  void placesAreNamedWithinTheWebApplicationSoTheContextPathIsNotAPlace() throws Exception {
    CapturingLog log = new CapturingLog();
    contextPath = "/shop";
    URI base = start(Recover.builder().log(log).build(), false);

    HttpResponse<String> response =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(base.resolve("/shop" + Route.RUNTIME.path(1)))
                    .timeout(Duration.ofSeconds(20))
                    .build(),
                BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(log.incidents())
        .singleElement()
        .extracting(e -> e.incident().place())
        .isEqualTo("GET /runtime");
  }

  private static RecoverFilter filter(Recover recover, boolean placeFromRouteHeader) {
    if (!placeFromRouteHeader) {
      return new RecoverFilter(recover);
    }
    return new RecoverFilter(recover, request -> "route " + request.getHeader("X-Route"));
  }

  @Override
  protected void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  /** Serves the contract's routes. */
  private static final class Routes extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String path = request.getPathInfo();
      Route route = Route.of(path);
      String n = path.substring(path.lastIndexOf('/') + 1);
      switch (route) {
        case HEALTHY -> {
          response.setContentType("text/plain");
          response.getOutputStream().write(("healthy " + n).getBytes(StandardCharsets.UTF_8));
        }
        case COMMITTED -> {
          response.setContentType("text/plain");
          response.getOutputStream().write("partial ".getBytes(StandardCharsets.UTF_8));
          response.flushBuffer();
          Crashes.crash(route);
        }
        case WRITER -> {
          response.setHeader("X-Leak", Crashes.SECRET);
          response.getWriter().write("partial ");
          Crashes.crash(route);
        }
        default -> {
          response.setHeader("X-Leak", Crashes.SECRET);
          response.getOutputStream().write("partial ".getBytes(StandardCharsets.UTF_8));
          Crashes.crash(route);
        }
      }
    }
  }
}
