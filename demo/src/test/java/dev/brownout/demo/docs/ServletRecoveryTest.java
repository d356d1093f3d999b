package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.recover.Recover;
import dev.brownout.recover.servlet.RecoverFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Servlet examples of docs/recovery.md, run in Jetty. */
class ServletRecoveryTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Recover recover = Recover.of(brownout);
  private Server server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    brownout.close();
  }

  @Test
  void mappedInJetty() throws Exception {
    URI base = start(context -> {
      // docs:begin
      context.addFilter(new FilterHolder(new RecoverFilter(recover)), "/*", EnumSet.of(DispatcherType.REQUEST));
      // docs:end
    });
    assertProblem(base);
  }

  @Test
  void mappedFromAServletContextListener() throws Exception {
    URI base = start(context -> context.addEventListener(new ServletContextListener() {
      @Override
      public void contextInitialized(ServletContextEvent event) {
        ServletContext servletContext = event.getServletContext();
        // docs:begin
        servletContext.addFilter("recover", new RecoverFilter(recover))
            .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        // docs:end
      }
    }));
    assertProblem(base);
  }

  @Test
  void anAdapterOfYourOwn() throws Exception {
    URI base = start(context ->
        context.addFilter(new FilterHolder(new ProblemFilter(recover)), "/*", EnumSet.of(DispatcherType.REQUEST)));
    assertProblem(base);
  }

  private URI start(Consumer<ServletContextHandler> setUp) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        throw new IllegalStateException("ledger offline: password=hunter2");
      }
    }), "/*");
    setUp.accept(context);
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private static void assertProblem(URI base) throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(HttpRequest.newBuilder(base.resolve("/orders/17")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(response.body()).contains("\"incident\":\"inc-").doesNotContain("hunter2");
  }
}
