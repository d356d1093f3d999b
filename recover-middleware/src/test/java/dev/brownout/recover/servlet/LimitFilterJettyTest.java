package dev.brownout.recover.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import dev.brownout.recover.InboundLimit;
import dev.brownout.recover.LimitOverHttpContract;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

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
    ServletHolder routes = new ServletHolder(new Routes());
    routes.setAsyncSupported(true);
    context.addServlet(routes, "/*");
    InboundLimit<HttpServletRequest> limit =
        InboundLimit.<HttpServletRequest>builder(spec.limiter())
            .partitionBy(request -> request.getHeader("X-Partition"))
            .bypass(request -> request.getRequestURI().equals("/health"))
            .status(spec.status())
            .retryAfter(spec.retryAfter())
            .build();
    FilterHolder filter = new FilterHolder(new LimitFilter(limit));
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  private final CountDownLatch asyncStarted = new CountDownLatch(1);
  private final CountDownLatch asyncRelease = new CountDownLatch(1);

  /**
   * An asynchronous request holds its permit until it completes, not until its dispatch returns.
   */
  @Test
  void anAsynchronousRequestHoldsItsPermitUntilItCompletes() throws Exception {
    AtomicLong nanos = new AtomicLong();
    try (Brownout brownout = Brownout.builder().ticker(nanos::get).build()) {
      Limiter limiter =
          brownout.limiter(
              "async",
              LimiterConfig.builder()
                  .algorithm(LimiterConfig.Algorithm.FIXED)
                  .limits(1, 1, 1)
                  .build());
      URI base = start(new Spec(limiter, 503, Duration.ofSeconds(1)));
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> pending =
          client.sendAsync(
              HttpRequest.newBuilder(base.resolve("/async")).build(), BodyHandlers.ofString());
      assertThat(asyncStarted.await(20, TimeUnit.SECONDS)).isTrue();

      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(base.resolve("/ok")).build(), BodyHandlers.ofString())
                  .statusCode())
          .as("the async request still holds the one permit")
          .isEqualTo(503);
      asyncRelease.countDown();
      assertThat(pending.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
      await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight() == 0);
      assertThat(
              client
                  .send(
                      HttpRequest.newBuilder(base.resolve("/ok")).build(), BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
    }
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
      if (request.getRequestURI().equals("/async")) {
        AsyncContext async = request.startAsync();
        asyncStarted.countDown();
        new Thread(
                () -> {
                  try {
                    asyncRelease.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ((HttpServletResponse) async.getResponse()).setStatus(202);
                  async.complete();
                })
            .start();
        return;
      }
      try {
        response.setStatus(handle(request.getRequestURI()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.setStatus(500);
      }
    }
  }
}
