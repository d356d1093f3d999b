package dev.brownout.demo;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminServer;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.LevelController;
import dev.brownout.degradation.LoadSignal;
import dev.brownout.migration.Shift;
import dev.brownout.recover.InboundLimit;
import dev.brownout.recover.Incident;
import dev.brownout.recover.IncidentLog;
import dev.brownout.recover.Recover;
import dev.brownout.recover.httpserver.LimitFilter;
import dev.brownout.recover.httpserver.RecoverFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Q&A service: {@code GET /questions/{id}} serves a question with its answers (the core, from
 * its own store) and three optional parts fetched in parallel from its dependencies; the library's
 * admin page and API (on a port of their own) switch features and show breakers, executors,
 * incidents and the comments migration, and the demo's own admin routes change its simulated
 * dependencies and start a shift of its comments; {@code GET /metrics} is for Prometheus. Every
 * route sits behind the recovery filter, and question {@value #CURSED} crashes on purpose.
 *
 * <p>Admission control. The question pages are held to an adaptive limiter at the door, not the
 * calls of the parts: the core of a page is a quick read of the service's own store that needs no
 * thread of the fan-out, and what overload piles up is the fan-out behind every page (its threads,
 * then its queue); only the page's latency shows that queue (a part's own call does not wait in
 * it), and only a refusal at the door sheds the whole cost of a request. A page view outranks a
 * prefetch (a browser loading a linked page before it is clicked, marked {@code Sec-Purpose:
 * prefetch}): at the limit views keep {@value #VIEWS_SHARE} of it, so prefetches are refused first.
 * The limiter's pressure steers the brownout level, which sheds avatars (P4), then recommendations
 * (P3), then comments (P2) while the limiter still admits requests, each step making a page
 * cheaper.
 */
final class QaService implements AutoCloseable {

  /** The question whose page crashes, to show a recovered incident. */
  static final int CURSED = 13;

  private static final int MAX_BODY = 4096;

  /** The limiter's partitions: what a reader asked for, and what a browser fetched ahead. */
  static final String VIEWS = "views";

  static final String PREFETCH = "prefetch";

  static final double VIEWS_SHARE = 0.8;

  /** How long the core of a page takes to read (see {@link #readCore()}). */
  static final long CORE_READ_MILLIS = 5;

  /** Concurrent warm-up calls per dependency (as many as the scenario's clients), and rounds. */
  private static final int WARM_UP_CALLS = 8;

  private static final int WARM_UP_ROUNDS = 3;

  /** Threads that serve requests; the limiter's limit stays under them (see the constructor). */
  private static final int REQUEST_THREADS = 32;

  private final Features features;
  private final Downstreams downstreams;
  private final CommentsMigration migration;
  private final AdminApi admin;
  private final AdminServer adminServer;
  private final Extras extras;
  private final Catalog catalog = new Catalog();
  private final BoundedExecutor fanout;
  private final PrometheusMeterRegistry prometheus =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String token;
  private final LongAdder recovered = new LongAdder();
  private final HttpServer server;
  private final ExecutorService requestThreads =
      Executors.newFixedThreadPool(REQUEST_THREADS, Http.daemons("qa-request"));
  private final Limiter limiter;
  private final ScheduledExecutorService workChanges =
      Executors.newSingleThreadScheduledExecutor(Http.daemons("qa-work-changes"));
  private String partsShed = "";
  private final FanoutUse fanoutUse = new FanoutUse();

  QaService(Brownout brownout, Downstreams downstreams, int port) throws IOException {
    this.downstreams = downstreams;
    this.features = Features.of(brownout);
    HttpDownstream downstream = new HttpDownstream(downstreams.uri());
    warmUp(downstream);
    this.migration = new CommentsMigration(brownout, downstream);
    this.extras = new Extras(brownout, downstream, migration);
    this.fanout =
        brownout.executor(
            "fanout",
            ExecutorConfig.builder()
                .maxRunning(32)
                .maxQueued(96)
                .partition(Downstreams.COMMENTS, 50)
                .partition(Downstreams.AVATARS, 30)
                .partition(Downstreams.RECOMMENDATIONS, 50)
                .stuckThreshold(Duration.ofSeconds(5))
                .build());
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.token = HexFormat.of().formatHex(secret);
    brownout.metrics().bindTo(prometheus);
    RecentIncidents recent = RecentIncidents.keeping(100, this::record);
    Recover recover = Recover.builder().log(recent).build();
    brownout.bindMeters(recover);

    // The JDK server runs a filter on its executor's thread, after the executor's queue: the limit
    // stays under the request threads, so that a thread is always free to refuse at once and no
    // request waits unseen in that queue. The fewest (16) still leave a view its share while every
    // client of the scenario asks at once.
    limiter =
        brownout.limiter(
            "pages",
            LimiterConfig.builder()
                .limits(16, 20, REQUEST_THREADS * 3 / 4)
                // Half a second (at least 20 pages): the pressure after each step of the level is
                // known by the next refresh, and the level takes a step every 3 s under overload.
                .minWindow(Duration.ofMillis(500))
                .partition(VIEWS, VIEWS_SHARE)
                .partition(PREFETCH, 1 - VIEWS_SHARE)
                .build());
    // A dependency that slows down reads as a queue until its breaker opens and its part is shed
    // (about a second here): the level waits 2 s, so that it moves for load, not for an outage the
    // breakers handle. It comes down only after 5 s of low pressure: with every part shed, the
    // pressure says little of what a restored part would cost, and after 2 s the level restored
    // comments in the middle of a surge, to raise them again. Level 3 sheds every part; 4 would
    // shed only their parent again.
    features.control(
        LevelController.builder(LoadSignal.pressure(limiter), 0.8)
            .raiseAfter(Duration.ofSeconds(2))
            .lowerBelow(0.5)
            .lowerAfter(Duration.ofSeconds(5))
            .maxLevel(3)
            .build());
    // The level makes the limiter measure a page's no-load latency again when it sheds or restores
    // a part; so must a breaker that does (AUTO): a page without recommendations is twice as fast,
    // and one with them back would read as queued behind the lighter pages' latency.
    var unused =
        workChanges.scheduleWithFixedDelay(
            this::remeasureIfTheWorkChanged, 100, 100, TimeUnit.MILLISECONDS);
    LimitFilter admission =
        new LimitFilter(
            InboundLimit.<HttpExchange>builder(limiter)
                .partitionBy(QaService::partition)
                .retryAfter(Duration.ofSeconds(1))
                .build());

    server = Http.server(port, requestThreads);
    RecoverFilter recovery =
        new RecoverFilter(recover, exchange -> route(exchange.getRequestURI()));
    for (HttpContext context :
        List.of(
            server.createContext("/", this::notFound),
            server.createContext("/questions/", this::question),
            server.createContext("/admin/", this::admin),
            server.createContext("/metrics", this::metrics))) {
      context.getFilters().add(recovery);
      if (context.getPath().equals("/questions/")) {
        context.getFilters().add(admission); // admin and metrics are never refused
      }
    }
    // The library's admin page and API, on a port of their own (loopback): its event streams hold
    // a thread each while a page follows them, which must not come out of the request threads the
    // limiter's limit is sized under. Same token as the demo's own admin routes, which use both:
    // they exist before the first request can arrive.
    admin = AdminApi.builder(brownout, features).token(token).incidents(recent).build();
    adminServer = AdminServer.start(admin, 0);
    server.start();
  }

  /** The admin page (the library's), with the API under it. */
  URI adminUri() {
    return adminServer.uri();
  }

  URI uri() {
    return URI.create(
        "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
  }

  String token() {
    return token;
  }

  /** Runs on {@link #workChanges} only. */
  private void remeasureIfTheWorkChanged() {
    StringBuilder shed = new StringBuilder();
    for (FeatureState state : features.snapshot().values()) {
      if (isPart(state.feature()) && state.isDegraded()) {
        shed.append(state.feature()).append(' ');
      }
    }
    if (!shed.toString().equals(partsShed)) {
      partsShed = shed.toString();
      limiter.remeasure();
    }
  }

  /**
   * Calls every dependency a few times at once, unguarded, before the service takes traffic. The
   * first calls of a JVM's HTTP client load its classes, run interpreted and open its connections:
   * hundreds of milliseconds, beyond the avatars timeout (150 ms), and a breaker that sees ten
   * calls time out at start opens with no dependency at fault. A service is ready once its clients
   * are warm; a failure here is the dependency's, which the guards meet once traffic comes.
   */
  private static void warmUp(Downstream downstream) {
    ExecutorService warmers =
        Executors.newFixedThreadPool(WARM_UP_CALLS, Http.daemons("qa-warm-up"));
    try {
      List<java.util.concurrent.Callable<Object>> calls = new ArrayList<>();
      for (int round = 0; round < WARM_UP_ROUNDS; round++) {
        for (int i = 1; i <= WARM_UP_CALLS; i++) {
          int question = i;
          calls.add(() -> downstream.comments(CommentsBuild.V1, question));
          calls.add(() -> downstream.avatar("user-" + question));
          calls.add(() -> downstream.recommendations(question));
        }
      }
      warmers.invokeAll(calls, 10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      warmers.shutdownNow();
    }
  }

  /** The comments backend's migration to v2. */
  CommentsMigration migration() {
    return migration;
  }

  /**
   * Whether {@code feature} switches a part of the pages (not the migration's experiment or shifts,
   * whose switches sample and route rather than shed).
   */
  static boolean isPart(String feature) {
    return feature.startsWith(QuestionExtras.Features.PARENT);
  }

  /** The limiter at the door of the question pages. */
  Limiter limiter() {
    return limiter;
  }

  /** The time the fan-out's threads spent on each part, for the capacity the scenario measures. */
  FanoutUse fanoutUse() {
    return fanoutUse;
  }

  /** The threads the fan-out may run for {@code partition} (the whole executor for null). */
  int fanoutThreads(String partition) {
    return partition == null ? fanout.maxRunning() : fanout.partition(partition).maxRunning();
  }

  /** A request marked as a prefetch by the browser; every other request is a view. */
  private static String partition(HttpExchange exchange) {
    String purpose = exchange.getRequestHeaders().getFirst("Sec-Purpose");
    return purpose != null && purpose.startsWith("prefetch") ? PREFETCH : VIEWS;
  }

  long incidentsRecovered() {
    return recovered.sum();
  }

  PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  /**
   * The place of a request in incidents and metrics: its route, never its raw path (ids stay out).
   */
  private static String route(URI uri) {
    String path = uri.getPath();
    if (path.startsWith("/questions/")) {
      return "GET /questions/{id}";
    }
    if (path.startsWith("/admin/")) {
      int second = path.indexOf('/', "/admin/".length());
      return "/admin/"
          + (second < 0
              ? path.substring("/admin/".length())
              : path.substring("/admin/".length(), second));
    }
    return path.equals("/metrics") ? "/metrics" : "other";
  }

  private void record(Incident incident, Throwable thrown) {
    IncidentLog.slf4j().incident(incident, thrown);
    recovered.increment();
  }

  // ---- the service

  private void question(HttpExchange exchange) throws IOException {
    if (!getOrHead(exchange)) {
      return;
    }
    String id = exchange.getRequestURI().getPath().substring("/questions/".length());
    Catalog.Question question =
        id.matches("[0-9]{1,6}") ? catalog.question(Integer.parseInt(id)).orElse(null) : null;
    if (question == null) {
      problem(exchange, 404, "No such question", "questions are numbered 1 to " + Catalog.SIZE);
      return;
    }
    readCore();
    if (question.id() == CURSED) {
      throw new IllegalStateException(
          "question " + CURSED + " is cursed: a bug in the page renderer");
    }
    fanoutUse.page();
    Future<Part> comments = submit(Downstreams.COMMENTS, () -> extras.comments(question.id()));
    Future<Part> avatar = submit(Downstreams.AVATARS, () -> extras.avatar(question.author()));
    Future<Part> recommendations =
        submit(Downstreams.RECOMMENDATIONS, () -> extras.recommendations(question.id()));
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("id", question.id());
    page.put("title", question.title());
    page.put("author", question.author());
    page.put("answers", question.answers());
    page.put(Downstreams.COMMENTS, part(await(comments)));
    page.put("avatar", part(await(avatar)));
    page.put(Downstreams.RECOMMENDATIONS, part(await(recommendations)));
    json(exchange, page);
  }

  /**
   * The time the core takes to read from the question store, simulated: a few milliseconds, as a
   * store read takes. (A page with every part shed then takes about 5 ms, not the tenth of a
   * millisecond of a map lookup, whose jitter alone would read as a queue to the limiter.)
   */
  private static void readCore() {
    try {
      TimeUnit.MILLISECONDS.sleep(CORE_READ_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Future<Part> submit(String partition, java.util.concurrent.Callable<Part> task) {
    try {
      return fanout.partition(partition).submit(partition, fanoutUse.timed(partition, task));
    } catch (RejectedExecutionException e) {
      return java.util.concurrent.CompletableFuture.completedFuture(Part.of("rejected"));
    }
  }

  /** Waits for a part, which its guard's timeout bounds; a part never fails the page. */
  private static Part await(Future<Part> part) {
    try {
      return part.get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      part.cancel(true);
      return Part.of("interrupted");
    } catch (ExecutionException | TimeoutException e) {
      part.cancel(true);
      return Part.of("fallback");
    }
  }

  private static Map<String, Object> part(Part part) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("servedBy", part.servedBy());
    json.put("items", part.items());
    return json;
  }

  // ---- admin

  private void admin(HttpExchange exchange) throws IOException {
    if (!exchange.getRemoteAddress().getAddress().isLoopbackAddress()
        || !admin.authorizes(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      problem(
          exchange,
          401,
          "Unauthorized",
          "send the token printed at start-up as 'Authorization: Bearer <token>'");
      return;
    }
    // A HEAD is answered as its GET would be, without the body (see Http.send).
    String method =
        exchange.getRequestMethod().equals("HEAD") ? "GET" : exchange.getRequestMethod();
    String[] path = exchange.getRequestURI().getPath().substring("/admin/".length()).split("/", -1);
    String resource = path[0];
    String name = path.length == 2 ? path[1] : null;
    if (path.length > 2 || (name != null && name.isEmpty())) {
      problem(exchange, 404, "Not found", "no such admin resource");
      return;
    }
    switch (method + " " + resource + (name == null ? "" : "/*")) {
      case "GET downstreams" -> json(exchange, downstreamsView());
      case "PUT downstreams/*" -> setDownstream(exchange, name);
      case "PUT shifts/*" -> startShift(exchange, name);
      default ->
          problem(
              exchange,
              404,
              "Not found",
              "the demo's own routes are GET /admin/downstreams, PUT /admin/downstreams/{name}"
                  + " and PUT /admin/shifts/{name}; features, the level, breakers, executors,"
                  + " incidents,"
                  + " the experiment and the shifts are in the admin API at "
                  + adminServer.uri()
                  + "api/v1/");
    }
  }

  private void setDownstream(HttpExchange exchange, String name) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    try {
      String body = body(exchange).strip();
      for (String pair : body.isEmpty() ? new String[0] : body.split("\\s+", -1)) {
        int equals = pair.indexOf('=');
        String setting = equals < 0 ? pair : pair.substring(0, equals);
        if (equals < 0 || !(setting.equals("latency") || setting.equals("failure"))) {
          throw new IllegalArgumentException(
              "'" + pair + "' is not one of latency=<duration> and failure=<0 to 1>");
        }
        settings.put(setting, pair.substring(equals + 1));
      }
      Downstreams.Behaviour behaviour = downstreams.behaviour(name);
      Duration latency =
          settings.containsKey("latency")
              ? latency(settings.get("latency"))
              : Duration.ofMillis(behaviour.latencyMillis());
      double failure =
          settings.containsKey("failure")
              ? failure(settings.get("failure"))
              : behaviour.failureRate();
      behaviour.set(latency, failure);
    } catch (IllegalArgumentException e) {
      problem(
          exchange,
          400,
          "Bad downstream setting",
          "send 'latency=800ms failure=0.5': " + e.getMessage());
      return;
    }
    json(exchange, downstreamsView());
  }

  /**
   * Starts shifting the comments to a v2 build: {@code start <reason>}. Building a shift for a
   * build is the demo's own choice, so it has its own route; pausing, resuming, promoting or
   * rolling back the shift it builds is done in the admin ({@code POST api/v1/shifts/{name}}).
   */
  private void startShift(HttpExchange exchange, String name) throws IOException {
    CommentsBuild build;
    try {
      build = CommentsMigration.buildOf(name);
    } catch (IllegalArgumentException e) {
      problem(
          exchange,
          404,
          "No such shift",
          "no shift '"
              + name
              + "'; the shifts are "
              + String.join(
                  ", ",
                  List.of(CommentsBuild.V2_0, CommentsBuild.V2_1, CommentsBuild.V2_2).stream()
                      .map(CommentsMigration::shiftName)
                      .toList()));
      return;
    }
    String text = body(exchange).strip();
    String reason = text.startsWith("start ") ? text.substring("start ".length()).strip() : "";
    if (reason.isEmpty()) {
      problem(
          exchange,
          400,
          "Bad shift command",
          "send 'start <reason>'; pause, resume, promote and rollback are in the admin API; got '"
              + text
              + "'");
      return;
    }
    Shift<CommentThread> shift;
    try {
      shift = migration.startShift(build, reason);
    } catch (IllegalStateException e) {
      problem(exchange, 409, "Shift conflict", e.getMessage());
      return;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", shift.name());
    view.put("state", shift.state().name());
    view.put("share", shift.share());
    json(exchange, view);
  }

  /** {@code 800ms}, {@code 2s}, or ISO-8601 ({@code PT0.8S}). */
  private static Duration parseLatency(String text) {
    String trimmed = text.trim();
    try {
      if (trimmed.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(trimmed.substring(0, trimmed.length() - 2)));
      }
      if (trimmed.endsWith("s") && !trimmed.startsWith("P")) {
        return Duration.ofSeconds(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
      }
      return Duration.parse(trimmed);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "latency must be a duration such as 800ms, 2s or PT0.8S, but was '" + text + "'", e);
    }
  }

  private static Duration latency(String text) {
    Duration latency = parseLatency(text);
    if (latency.isNegative() || latency.compareTo(Downstreams.MAX_LATENCY) > 0) {
      throw new IllegalArgumentException(
          "latency must be from 0 to "
              + Downstreams.MAX_LATENCY.toSeconds()
              + "s, but was '"
              + text
              + "'");
    }
    return latency;
  }

  private static double failure(String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "failure must be a number from 0 to 1, but was '" + text + "'", e);
    }
  }

  long executorRejections(String partition) {
    return fanout.partition(partition).rejected();
  }

  private Map<String, Object> downstreamsView() {
    Map<String, Object> view = new LinkedHashMap<>();
    downstreams
        .behaviours()
        .forEach(
            (name, b) ->
                view.put(
                    name,
                    Map.of("latencyMillis", b.latencyMillis(), "failureRate", b.failureRate())));
    return view;
  }

  // ---- plumbing

  private void metrics(HttpExchange exchange) throws IOException {
    if (!getOrHead(exchange)) {
      return;
    }
    Http.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.scrape());
  }

  private void notFound(HttpExchange exchange) throws IOException {
    problem(exchange, 404, "Not found", "try GET /questions/1");
  }

  /**
   * Whether the request is a GET or a HEAD; if not, it is answered 405 with the methods allowed.
   */
  private static boolean getOrHead(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    problem(exchange, 405, "Method not allowed", "use GET or HEAD");
    return false;
  }

  /**
   * The request body, at most {@value #MAX_BODY} bytes. A body that ends before its declared length
   * is the client's error, like one that is too long: both are an {@link IllegalArgumentException},
   * which the admin endpoints answer with a 400, not an incident.
   */
  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes;
      try {
        bytes = in.readNBytes(MAX_BODY + 1);
      } catch (IOException cut) {
        throw new IllegalArgumentException(
            "the request body ended before the length it declared", cut);
      }
      if (bytes.length > MAX_BODY) {
        throw new IllegalArgumentException("the request body is over " + MAX_BODY + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Answers 200 with {@code value} as JSON. */
  private static void json(HttpExchange exchange, Object value) throws IOException {
    Http.send(exchange, 200, "application/json", Json.write(value));
  }

  private static void problem(HttpExchange exchange, int status, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    Http.send(exchange, status, "application/problem+json", Json.write(body));
  }

  @Override
  public void close() {
    adminServer.close();
    admin.close();
    server.stop(0);
    requestThreads.shutdownNow();
    workChanges.shutdownNow();
  }
}
