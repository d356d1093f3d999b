package dev.brownout.recover.servlet;

import dev.brownout.recover.InboundLimit;
import dev.brownout.recover.LimitOverHttpContract;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The inbound limit filter inside a real embedded Jetty 12, over real HTTP. */
class LimitFilterJettyTest extends LimitOverHttpContract {

  private Server server;

  @Override
  protected URI start(Spec spec) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Routes()), "/*");
    InboundLimit<HttpServletRequest> limit = InboundLimit.<HttpServletRequest>builder(spec.limiter())
        .partitionBy(request -> request.getHeader("X-Partition"))
        .bypass(request -> request.getRequestURI().equals("/health"))
        .status(spec.status())
        .retryAfter(spec.retryAfter())
        .build();
    context.addFilter(new FilterHolder(new LimitFilter(limit)), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @Override
  protected void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private final class Routes extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
      try {
        response.setStatus(handle(request.getRequestURI()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.setStatus(500);
      }
    }
  }
}
