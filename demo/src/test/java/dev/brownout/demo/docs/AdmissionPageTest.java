package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.brownout.core.Brownout;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.ConcurrencyLimitedException;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.Guard;
import dev.brownout.core.KeyedGuards;
import dev.brownout.core.RateLimitedException;
import dev.brownout.core.RateLimiterConfig;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.LevelController;
import dev.brownout.degradation.LoadSignal;
import dev.brownout.degradation.Priority;
import dev.brownout.recover.InboundLimit;
import dev.brownout.recover.Recover;
import dev.brownout.recover.httpserver.LimitFilter;
import dev.brownout.recover.httpserver.RecoverFilter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/admission.md, run. */
class AdmissionPageTest {

  private final AtomicLong nanos = new AtomicLong();
  private final Brownout brownout =
      Brownout.builder().ticker(nanos::get).config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test")).build();

  @AfterEach
  void close() {
    brownout.close();
  }

  record Response(int status) {}

  private Response tooBusy() {
    return new Response(503);
  }

  private Response handle(String request) throws CallTimeoutException {
    if (request.equals("slow")) {
      Guard inventory = brownout.guard("inventory").timeout(Duration.ofMillis(20)).build();
      try {
        return inventory.call(() -> {
          Thread.sleep(10_000);
          return new Response(200);
        });
      } catch (CallTimeoutException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return new Response(200);
  }

  private Response serve(Limiter limiter, String request) throws CallTimeoutException {
    // docs:begin
    Limiter.Partition checkout = limiter.partition("checkout");
    long permit = checkout.tryAcquire();
    if (permit == Limiter.REFUSED) {
      return tooBusy();
    }
    try {
      Response response = handle(request);
      checkout.onSuccess(permit);       // its latency is a sample
      return response;
    } catch (CallTimeoutException e) {
      checkout.onDropped(permit);       // the dependency is overloaded: the limit is cut
      throw e;
    } catch (RuntimeException e) {
      checkout.onIgnored(permit);       // a failure says nothing about load
      throw e;
    }
    // docs:end
  }

  interface QuoteClient {
    String quote(String symbol) throws Exception;
  }

  interface HttpResponseHeaders {
    void setHeader(String name, String value);
  }

  private String quote(QuoteClient client, String symbol, HttpResponseHeaders response) throws Exception {
    // docs:begin
    Guard quotes = brownout.guard("quotes")
        .rateLimiter(RateLimiterConfig.builder()
            .limit(100).period(Duration.ofSeconds(1))    // 100 calls a second (the default)
            .kind(RateLimiterConfig.Kind.SMOOTH)         // one every 10 ms (the default)
            .maxWaitDuration(Duration.ofMillis(20))      // a synchronous call may wait this long for its turn
            .build())
        .build();
    try {
      return quotes.call(() -> client.quote(symbol));
    } catch (RateLimitedException e) {
      response.setHeader("Retry-After", Long.toString(e.retryAfterSeconds()));
      throw e;
    }
    // docs:end
  }

  @Test
  void aRateLimitedGuard() throws Exception {
    java.util.Map<String, String> headers = new java.util.HashMap<>();
    assertThat(quote(symbol -> "42.00", "ACME", headers::put)).isEqualTo("42.00");
    Guard quotes = brownout.findGuard("quotes").orElseThrow();
    assertThat(quotes.call(() -> "waited for its turn")).isEqualTo("waited for its turn");
    assertThat(quotes.call(() -> "and again")).isEqualTo("and again");
    assertThatThrownBy(() -> quotes.call(() -> "30 ms ahead")).isInstanceOf(RateLimitedException.class);
  }

  private String respond(String request) {
    return "handled " + request;
  }

  @Test
  void aRateLimitPerTenant() throws Exception {
    String tenantId = "acme";
    String request = "GET /";
    // docs:begin
    KeyedGuards<String> perTenant = brownout.keyedGuards("api", 10_000, Duration.ofMinutes(10),
        guard -> guard.rateLimiter(RateLimiterConfig.builder().limit(20).build()));
    String answer = perTenant.get(tenantId).call(() -> respond(request));
    // docs:end
    assertThat(answer).isEqualTo("handled GET /");
    assertThatThrownBy(() -> perTenant.get(tenantId).call(() -> respond(request))).isInstanceOf(RateLimitedException.class);
    assertThat(perTenant.get("other").call(() -> respond(request))).isEqualTo("handled GET /");
  }

  @Test
  void aLimiterAdmitsAndLearns() throws Exception {
    // docs:begin
    Limiter limiter = brownout.limiter("inbound", LimiterConfig.builder()
        .algorithm(LimiterConfig.Algorithm.VEGAS)   // the default
        .limits(4, 20, 500)                          // min, initial, max
        .partition("checkout", 0.7)                  // shares guaranteed at the limit
        .partition("browse", 0.3)
        .build());
    // docs:end
    assertThat(serve(limiter, "fast").status()).isEqualTo(200);
    assertThatThrownBy(() -> serve(limiter, "slow")).isInstanceOf(CallTimeoutException.class);
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.limit()).isEqualTo(20);
  }

  private String stock(String sku) {
    return "12 of " + sku;
  }

  private Guard inventoryGuard(Limiter limiter) {
    // docs:begin
    Guard inventory = brownout.guard("inventory")
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .timeout(Duration.ofMillis(200))
        .limiter(limiter.partition("checkout"))     // or .limiter(limiter): calls of no partition
        .build();
    // docs:end
    return inventory;
  }

  private Object stockOf(Guard inventory, String sku) throws Exception {
    // docs:begin
    try {
      return inventory.call(() -> stock(sku));
    } catch (ConcurrencyLimitedException e) {
      return tooBusy();                             // the limit is reached: shed, do not queue
    }
    // docs:end
  }

  @Test
  void aGuardHeldToALimiter() throws Exception {
    Limiter limiter = brownout.limiter("inventory-db", LimiterConfig.builder()
        .algorithm(LimiterConfig.Algorithm.FIXED)
        .limits(2, 2, 2)
        .partition("checkout", 0.5)
        .build());
    Guard inventory = inventoryGuard(limiter);
    assertThat(stockOf(inventory, "sku-1")).isEqualTo("12 of sku-1");
    assertThat(limiter.inFlight()).isZero();
    long[] crowd = {limiter.tryAcquire(), limiter.tryAcquire()};
    assertThat(stockOf(inventory, "sku-1")).as("the partition's guaranteed slot").isEqualTo("12 of sku-1");
    long third = limiter.partition("checkout").tryAcquire();
    assertThat(stockOf(inventory, "sku-1")).isEqualTo(tooBusy());
    limiter.partition("checkout").onIgnored(third);
    limiter.onIgnored(crowd[0]);
    limiter.onIgnored(crowd[1]);
    assertThat(brownout.findGuard("inventory").orElseThrow().counts().rejected()).isEqualTo(1);
  }

  @Test
  void anInboundLimitAtTheDoor() throws Exception {
    Limiter limiter = brownout.limiter("inbound", LimiterConfig.builder()
        .algorithm(LimiterConfig.Algorithm.FIXED).limits(1, 1, 1).partition("checkout", 0.7).partition("browse", 0.3).build());
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    HttpHandler handler = exchange -> {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    };
    try {
      // docs:begin
      InboundLimit<HttpExchange> limit = InboundLimit.<HttpExchange>builder(limiter)
          .partitionBy(exchange -> exchange.getRequestURI().getPath().startsWith("/checkout") ? "checkout" : "browse")
          .bypass(exchange -> exchange.getRequestURI().getPath().equals("/health"))
          .status(503)                          // or 429
          .retryAfter(Duration.ofSeconds(2))
          .build();
      var context = server.createContext("/", handler);
      context.getFilters().add(new RecoverFilter(Recover.of(brownout)));
      context.getFilters().add(new LimitFilter(limit));
      // docs:end
      server.start();
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/checkout/cart")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(204);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void dimFirstThenRefuse() {
    Limiter limiter = brownout.limiter("inbound", LimiterConfig.ofDefaults());
    // docs:begin
    Features features = Features.of(brownout);
    features.define("recommendations").priority(Priority.P4).register();
    features.define("reviews").priority(Priority.P3).register();
    features.control(LevelController.builder(LoadSignal.pressure(limiter), 0.9)
        .raiseAfter(Duration.ZERO)          // the pressure is already a window's measurement
        .lowerBelow(0.5)
        .lowerAfter(Duration.ofSeconds(60))
        .build());
    // docs:end
    features.refresh();
    assertThat(features.level()).isZero();
    assertThat(limiter.pressure()).as("unknown until a window has closed").isNaN();
  }
}
