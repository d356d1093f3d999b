package dev.brownout.recover.servlet;

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
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The servlet filter inside a real embedded Jetty 12, over real HTTP. */
class RecoverFilterJettyTest extends RecoverOverHttpContract {

  private Server server;

  @Override
  protected URI start(Recover recover, boolean placeFromRouteHeader) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new Routes()), "/*");
    context.addFilter(new FilterHolder(filter(recover, placeFromRouteHeader)), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
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
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      Route route = Route.of(request.getRequestURI());
      String n = request.getRequestURI().substring(request.getRequestURI().lastIndexOf('/') + 1);
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
