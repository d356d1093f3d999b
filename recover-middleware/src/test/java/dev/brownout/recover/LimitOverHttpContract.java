package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every inbound limit filter must do, over real HTTP: each server's test starts a real server
 * on 127.0.0.1 with its filter, built from a {@link Spec}, in front of the {@link #ROUTES}.
 */
public abstract class LimitOverHttpContract {

  /**
   * {@code /ok} answers 200; {@code /hold} waits until {@link #release} is counted down, then 200;
   * {@code /busy} answers 503 (its dependency was overloaded); {@code /crash} throws; {@code
   * /health} answers 200 and bypasses the limit. Every route but {@code /health} counts {@link
   * #reached}.
   */
  protected static final String ROUTES = "/ok /hold /busy /crash /health";

  /**
   * How the server's test builds its filter: the limit applies to the partition named in
   * X-Partition.
   */
  public record Spec(Limiter limiter, int status, Duration retryAfter) {}

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  protected final CountDownLatch release = new CountDownLatch(1);
  protected final AtomicInteger reached = new AtomicInteger();
  protected final AtomicInteger holding = new AtomicInteger();
  private final AtomicLong nanos = new AtomicLong();
  private final Brownout brownout = Brownout.builder().ticker(nanos::get).build();
  private URI base;

  /**
   * Starts the server with the filter {@code spec} describes (partition from the X-Partition
   * header).
   */
  protected abstract URI start(Spec spec) throws Exception;

  protected abstract void stop() throws Exception;

  @AfterEach
  void stopServer() throws Exception {
    release.countDown();
    stop();
    brownout.close();
  }

  private Limiter fixed(int limit, LimiterConfig.Builder config) {
    return brownout.limiter(
        "inbound", config.algorithm(LimiterConfig.Algorithm.FIXED).limits(1, limit, limit).build());
  }

  private void serve(Limiter limiter) throws Exception {
    base = start(new Spec(limiter, 503, Duration.ofSeconds(1)));
  }

  @Test
  void requestsUnderTheLimitPassAndGiveTheirPermitsBack() throws Exception {
    Limiter limiter = fixed(2, LimiterConfig.builder());
    serve(limiter);

    for (int i = 0; i < 5; i++) {
      assertThat(get("/ok", null).statusCode()).isEqualTo(200);
    }

    assertThat(reached).hasValue(5);
    awaitAllBack(limiter);
  }

  @Test
  void aRequestOverTheLimitGetsA503ProblemWithRetryAfterAndNeverReachesTheHandler()
      throws Exception {
    Limiter limiter = fixed(1, LimiterConfig.builder());
    serve(limiter);
    CompletableFuture<HttpResponse<String>> held = hold(null);

    HttpResponse<String> refused = get("/ok", null);

    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
    assertThat(refused.body())
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"incident\":null}");
    assertThat(reached).hasValue(1);
    release.countDown();
    assertThat(held.get().statusCode()).isEqualTo(200);
    awaitAllBack(limiter);
    assertThat(limiter.partitions().get(0).refused()).isEqualTo(1);
  }

  @Test
  void aRefusalCanBeA429WithItsOwnRetryAfter() throws Exception {
    Limiter limiter = fixed(1, LimiterConfig.builder());
    base = start(new Spec(limiter, 429, Duration.ofSeconds(7)));
    var unused = hold(null);

    HttpResponse<String> refused = get("/ok", null);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(refused.body()).contains("\"title\":\"Too Many Requests\"", "\"status\":429");
  }

  @Test
  void healthChecksBypassAFullLimit() throws Exception {
    serve(fixed(1, LimiterConfig.builder()));
    var unused = hold(null);

    assertThat(get("/health", null).statusCode()).isEqualTo(200);
  }

  @Test
  void atTheLimitAPartitionUnderItsShareIsStillAdmitted() throws Exception {
    Limiter limiter =
        fixed(2, LimiterConfig.builder().partition("checkout", 0.5).partition("browse", 0.5));
    serve(limiter);
    var unused = hold("browse");
    unused = hold("browse"); // browse borrows checkout's share while the limit has room

    assertThat(get("/ok", "browse").statusCode())
        .as("browse, over its share at the limit")
        .isEqualTo(503);
    assertThat(get("/ok", "unknown").statusCode()).as("no partition: no share").isEqualTo(503);
    assertThat(get("/ok", "checkout").statusCode()).as("checkout, under its share").isEqualTo(200);
    assertThat(limiter.partition("browse").refused()).isEqualTo(1);
    assertThat(limiter.partition("checkout").refused()).isZero();
  }

  @Test
  void aResponseOf503IsADropAndACrashGivesItsPermitBack() throws Exception {
    Limiter limiter =
        brownout.limiter(
            "inbound",
            LimiterConfig.builder()
                .algorithm(LimiterConfig.Algorithm.AIMD)
                .limits(1, 10, 10)
                .minSamples(1)
                .maxInFlightFactor(100)
                .build());
    serve(limiter);

    try {
      assertThat(get("/crash", null).statusCode()).isEqualTo(500);
    } catch (java.io.IOException closed) {
      // The JDK server closes the connection of a handler that throws (no recovery filter here).
    }
    // (The JDK's client may send a GET whose connection closed once more: each crash gives its
    // permit back.)
    await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight() == 0);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(get("/busy", null).statusCode()).isEqualTo(503);

    // The JDK server may answer before its filter chain has returned: wait for the permit.
    await().atMost(Duration.ofSeconds(20)).until(() -> limiter.lastWindow().drops() == 1);
    assertThat(limiter.limit()).as("cut by the backoff ratio").isEqualTo(9);
    awaitAllBack(limiter);
  }

  /**
   * The JDK server may answer before its filter chain has returned: wait for every permit to come
   * back.
   */
  private static void awaitAllBack(Limiter limiter) {
    await().atMost(Duration.ofSeconds(20)).until(() -> limiter.inFlight() == 0);
  }

  /** Starts a request to /hold and waits until the handler holds its permit. */
  private CompletableFuture<HttpResponse<String>> hold(String partition) {
    int before = holding.get();
    CompletableFuture<HttpResponse<String>> response =
        CLIENT.sendAsync(request("/hold", partition), BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(20)).until(() -> holding.get() > before);
    return response;
  }

  private HttpResponse<String> get(String path, String partition) throws Exception {
    return CLIENT.send(request(path, partition), BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String partition) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
    if (partition != null) {
      request.header("X-Partition", partition);
    }
    return request.build();
  }

  /** What a route does, shared by the servers' handlers; returns the status to answer. */
  protected int handle(String path) throws InterruptedException {
    if (!path.equals("/health")) {
      reached.incrementAndGet();
    }
    switch (path) {
      case "/hold" -> {
        holding.incrementAndGet();
        release.await();
        return 200;
      }
      case "/busy" -> {
        return 503;
      }
      case "/crash" -> throw new IllegalStateException("crash");
      default -> {
        return 200;
      }
    }
  }
}
