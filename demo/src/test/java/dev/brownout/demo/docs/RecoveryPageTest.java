package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.recover.Incident;
import dev.brownout.recover.IncidentLog;
import dev.brownout.recover.LogSafe;
import dev.brownout.recover.Places;
import dev.brownout.recover.Problem;
import dev.brownout.recover.ProblemWriter;
import dev.brownout.recover.Recover;
import dev.brownout.recover.httpserver.RecoverFilter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/recovery.md, run (the Servlet ones in {@link ServletRecoveryTest}). */
class RecoveryPageTest {

  private final Brownout brownout = Brownout.builder().build();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void theCompleteExampleAnswersAProblemNamingOnlyTheIncident() throws Exception {
    HttpServer server = RecoverDemo.start(brownout, 0);
    try {
      HttpResponse<String> response = get(server, "/orders/17");
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
      assertThat(response.body()).startsWith("{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500,\"incident\":\"inc-")
          .doesNotContain("hunter2", "IllegalStateException");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theRecoveryCore() {
    // docs:begin
    Recover recover = Recover.of(brownout);   // the runtime's own, with the defaults below

    Recover custom = Recover.builder()
        .status(IllegalArgumentException.class, 400)   // most specific mapped type wins; causes are searched too
        .status(java.util.concurrent.TimeoutException.class, 504)
        .idHeader("Incident-Id")                       // also send the id in a header (off by default)
        .problemWriter(ProblemWriter.json())           // the default body writer
        .log(IncidentLog.slf4j())                      // the default log
        .clock(java.time.Clock.systemUTC())            // stamps incidents
        .maxPlaces(200)                                // distinct place tags before the rest count as "other"
        .build();
    // docs:end
    assertThat(Recover.of(brownout)).isSameAs(recover);
    assertThat(custom.respond("GET /orders", new IllegalArgumentException("bad id"), false).status()).isEqualTo(400);
    assertThat(custom.respond("GET /orders", new RuntimeException(new java.util.concurrent.TimeoutException()), false).headers())
        .containsKey("Incident-Id");
    assertThatThrownBy(() -> Recover.builder().status(IllegalArgumentException.class, 200))
        .hasMessage("recover.status(java.lang.IllegalArgumentException) must be an HTTP error status in [400, 599], but was 200");
  }

  @Test
  void theJdkServerFilterAndPlaces() throws Exception {
    Recover recover = Recover.of(brownout);
    HttpServer server = HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    com.sun.net.httpserver.HttpHandler ordersHandler = exchange -> {
      throw new IllegalStateException("crash");
    };
    // docs:begin
    server.createContext("/orders", ordersHandler).getFilters().add(new RecoverFilter(recover));
    // docs:end
    server.start();
    try {
      assertThat(get(server, "/orders/17").statusCode()).isEqualTo(500);
    } finally {
      server.stop(0);
    }

    Thread thread = new Thread(() -> { }, "pool-3-thread-12");
    // docs:begin
    new dev.brownout.recover.servlet.RecoverFilter(recover,
        request -> request.getMethod() + " " + request.getHttpServletMapping().getPattern());
    new dev.brownout.recover.httpserver.RecoverFilter(recover,
        exchange -> exchange.getRequestMethod() + " " + exchange.getHttpContext().getPath());

    String route = Places.http("GET", "/orders/17?page=2");   // "GET /orders"   (unknown methods become "OTHER")
    String pool = Places.thread(thread);                      // "pool-#-thread-#" for "pool-3-thread-12"
    // docs:end
    assertThat(route).isEqualTo("GET /orders");
    assertThat(pool).isEqualTo("pool-#-thread-#");
  }

  @Test
  void aProblemWriterOfYourOwn() {
    // docs:begin
    ProblemWriter plain = new ProblemWriter() {
      @Override public String write(Problem problem) {
        return "Something went wrong. Quote " + problem.incident() + " to support.";
      }
      @Override public String contentType() {
        return "text/plain; charset=utf-8";
      }
    };
    Recover recover = Recover.builder().problemWriter(plain).build();
    // docs:end
    var answer = recover.respond("GET /orders", new IllegalStateException("crash"), false);
    assertThat(answer.contentType()).isEqualTo("text/plain; charset=utf-8");
    assertThat(new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("Something went wrong. Quote " + answer.incident().id() + " to support.");
  }

  record Summary(String text) {
    static Summary unavailable(String incident) {
      return new Summary("unavailable, see " + incident);
    }
  }

  private volatile boolean noData = true;

  private Summary summarise() {
    if (noData) {
      throw new IllegalStateException("no data");
    }
    return new Summary("all good");
  }

  @Test
  void backgroundWork() throws Exception {
    Recover recover = Recover.of(brownout);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    NightlyReport report = new NightlyReport();
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    try {
      // docs:begin
      executor.execute(recover.runnable("nightly-report", report::run));        // crash → incident, worker lives on

      Callable<Summary> summary = recover.callable("summary", this::summarise,
          incident -> Summary.unavailable(incident.id()));                       // crash → incident → fallback value

      Thread.setDefaultUncaughtExceptionHandler(recover.uncaughtExceptionHandler()); // a dying thread leaves an incident
      // docs:end
      assertThat(summary.call().text()).startsWith("unavailable, see inc-");
      assertThat(executor.submit(() -> "alive").get(10, TimeUnit.SECONDS)).isEqualTo("alive");
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
      executor.shutdownNow();
    }
  }

  /** A nightly job that crashes. */
  static final class NightlyReport {
    volatile boolean broken = true;

    void run() {
      if (broken) {
        throw new IllegalStateException("report crashed");
      }
    }
  }

  record Profile(String name) {
    static final Profile ANONYMOUS = new Profile("anonymous");
  }

  @Test
  void theGuardsRecoveryPolicy() throws Exception {
    Recover recover = Recover.of(brownout);
    String userId = "u-17";
    java.util.function.Function<String, Profile> crashing = id -> {
      throw new IllegalStateException("profile store crashed for " + id);
    };
    ProfileStore profiles = crashing::apply;
    // docs:begin
    Guard profile = brownout.guard("profile")
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .recovery(recover.policy(incident -> Profile.ANONYMOUS))
        .build();
    Profile shown = profile.call(() -> profiles.load(userId));   // a crash → incident at "profile" → ANONYMOUS
    // docs:end
    assertThat(shown).isEqualTo(Profile.ANONYMOUS);
  }

  interface ProfileStore {
    Profile load(String userId);
  }

  @Test
  void anIncidentLogOfYourOwn() {
    List<String> errorTracker = new ArrayList<>();
    // docs:begin
    Recover recover = Recover.builder()
        .log((incident, thrown) -> errorTracker.add(incident.id() + " " + incident.place() + " " + thrown))
        .build();
    // docs:end
    Incident incident = recover.recover("import", new IOException("disk full"));
    assertThat(errorTracker).containsExactly(incident.id() + " import java.io.IOException: disk full");
  }

  @Test
  void clientTextInLogsAndIncidents() {
    Recover recover = Recover.builder().log((incident, thrown) -> { }).build();
    Throwable thrown = new IOException("disk full");
    // docs:begin
    String line = LogSafe.neutralise("GET /a\r\nERROR forged");   // "GET /a\\r\\nERROR forged", at most 256 characters kept
    String trace = LogSafe.stackTrace(thrown);                     // printStackTrace's text, messages neutralised, size bounded
    // docs:end
    assertThat(line).isEqualTo("GET /a\\r\\nERROR forged");
    assertThat(trace).startsWith("java.io.IOException: disk full");

    // docs:begin
    Incident incident = recover.recover("import", thrown);
    String id = incident.id();                        // "inc-5k2x9q7m3h8w": 60 random bits, URL-, header- and JSON-safe
    Instant at = incident.time();
    String place = incident.place();                  // "import"
    String type = incident.throwableClass();          // "java.io.IOException"
    Incident.Outcome outcome = incident.outcome();    // RECOVERED, CONNECTION_CLOSED, RETHROWN or THREAD_ENDED
    // docs:end
    assertThat(id).matches("inc-[0-9a-z]{12}");
    assertThat(at).isBeforeOrEqualTo(Instant.now());
    assertThat(place).isEqualTo("import");
    assertThat(type).isEqualTo("java.io.IOException");
    assertThat(outcome).isEqualTo(Incident.Outcome.RECOVERED);
  }

  private HttpResponse<String> get(HttpServer server, String path) throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
