package dev.brownout.admin;

import dev.brownout.core.Brownout;
import dev.brownout.core.internal.Settings;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.degradation.SwitchListener;
import dev.brownout.recover.Incident;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin of one Brownout runtime: the JSON API under {@code {base}/api/v1/}, the live event
 * stream, and the static admin page under {@code {base}/}, answered the same on every server. It
 * serves nothing by itself: mount it with {@link AdminHandler} or {@link AdminServer} (the JDK
 * {@code HttpServer}) or {@link AdminServlet} (a Servlet 6 container). See {@code docs/admin.md}
 * for the routes, the events and the security model.
 *
 * <pre>{@code
 * AdminApi admin = AdminApi.builder(brownout, features)
 *     .token(System.getenv("BROWNOUT_ADMIN_TOKEN"))
 *     .incidents(recentIncidents)
 *     .build();
 * AdminServer server = AdminServer.start(admin, 9090);   // http://127.0.0.1:9090/brownout/
 * }</pre>
 *
 * <p>Close it (after its server) to stop its summary thread and end its event streams.
 */
public final class AdminApi implements AutoCloseable {

  private static final Map<String, String> COMMON_HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
              + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none';"
              + " frame-ancestors 'none'",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "no-referrer",
          "X-Frame-Options",
          "DENY",
          "Cross-Origin-Resource-Policy",
          "same-origin");

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final String READS = "GET, HEAD";
  private static final String WRITES = "POST";
  private static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  private static final List<String> SECTIONS =
      List.of(
          "state",
          "level",
          "features",
          "breakers",
          "bulkheads",
          "executors",
          "limiters",
          "incidents",
          "experiments",
          "shifts",
          "history");

  private final String basePath;
  private final Token token;
  private final boolean openReadsOnLoopback;
  private final boolean remoteClients;
  private final int maxBodyBytes;
  private final int maxStreams;
  private final long keepAliveMillis;
  private final Features features;
  private final @Nullable RecentIncidents incidents;
  private final Views views;
  private final Writes writes;
  private final MigrationSection migration;
  private final Pages pages;
  private final EventHub hub;
  private final Summary summary;
  private final ScheduledExecutorService ticks;
  private final AtomicInteger streams = new AtomicInteger();
  private volatile boolean closed;
  private final SwitchListener featureEvents = this::onFeatureChanges;
  private final Consumer<Incident> incidentEvents = this::onIncident;

  private AdminApi(Builder b) {
    this.basePath = b.basePath;
    this.token = new Token(Settings.notNull("admin.token", b.token));
    this.openReadsOnLoopback = b.openReadsOnLoopback;
    this.remoteClients = b.remoteClients;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxStreams = b.maxStreams;
    this.keepAliveMillis = b.keepAlive.toMillis();
    this.features = b.features;
    this.incidents = b.incidents;
    AdminAudit audit = new AdminAudit();
    BreakerCalls calls = new BreakerCalls(b.brownout);
    this.migration = MigrationSection.of(b.brownout, audit);
    this.views = new Views(b.brownout, b.features, b.incidents, audit, calls, migration);
    this.writes = new Writes(b.brownout, b.features, audit);
    this.pages = Pages.load(b.pageFolder);
    this.hub = new EventHub(b.replayedEvents, b.clientQueue);
    this.summary = new Summary(b.brownout, b.features, views, calls, hub, migration);
    this.ticks =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "brownout-admin-events");
              thread.setDaemon(true);
              return thread;
            });
    features.addListener(featureEvents);
    if (incidents != null) {
      incidents.addListener(incidentEvents);
    }
    // Breaker transitions are read four times a second (the runtime's listeners are fixed when it
    // is built); the summary goes out once a second.
    var unused = ticks.scheduleWithFixedDelay(summary::tick, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Starts the settings of an admin over {@code brownout} and its {@code features}. */
  public static Builder builder(Brownout brownout, Features features) {
    return new Builder(
        Settings.notNull("admin.brownout", brownout), Settings.notNull("admin.features", features));
  }

  /** A fresh random token (48 hex digits, from {@link java.security.SecureRandom}). */
  public static String randomToken() {
    return Token.random();
  }

  /**
   * Whether an {@code Authorization} header's value is {@code Bearer <this admin's token>}, checked
   * as the admin checks its own routes (in constant time): for routes of the application's own that
   * should take the same token.
   */
  public boolean authorizes(@Nullable String authorization) {
    return token.matches(authorization);
  }

  /** The path the admin answers under, such as {@code /brownout}. */
  public String basePath() {
    return basePath;
  }

  int maxStreams() {
    return maxStreams;
  }

  /** Ends every event stream and stops the summary thread; the API then answers 503. */
  @Override
  public void close() {
    closed = true;
    features.removeListener(featureEvents);
    if (incidents != null) {
      incidents.removeListener(incidentEvents);
    }
    ticks.shutdownNow();
    hub.close();
  }

  // ---- events

  private void onFeatureChanges(List<SwitchChange> changes) {
    for (SwitchChange change : changes) {
      Map<String, @Nullable Object> view = Views.change(change);
      if (change.feature().equals(Features.LEVEL)) {
        // the same view as GET level, with the change that led to this event
        Map<String, @Nullable Object> level = views.level();
        level.put("change", view);
        hub.publish("level", Json.write(level));
      } else {
        var found = features.find(change.feature());
        Map<String, @Nullable Object> event =
            found == null ? new LinkedHashMap<>() : Views.feature(found.state());
        event.put("change", view);
        hub.publish("feature", Json.write(event));
      }
    }
  }

  private void onIncident(Incident incident) {
    hub.publish("incident", Json.write(Views.incident(incident)));
  }

  // ---- requests

  /** Answers one request; the adapters call it. */
  void handle(Exchange exchange) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(COMMON_HEADERS);
    try {
      if (closed) {
        // A servlet or handler may stay mounted after the admin closes: it reads and writes
        // nothing.
        throw new AdminProblem(503, "Closed", "the admin is closed", Map.of("Retry-After", "5"));
      }
      route(exchange, headers);
    } catch (AdminProblem problem) {
      discardBody(exchange);
      problem.headers.forEach(headers::put);
      problem(exchange, headers, problem.status, problem.title, problem.detail());
    } catch (RuntimeException e) {
      // A bug here or in a part the admin reads: the client gets a clean 500, the log the rest.
      LOG.error(
          "admin request {} {} failed", exchange.method(), AdminAudit.oneLine(exchange.path()), e);
      problem(
          exchange,
          headers,
          500,
          "Internal Server Error",
          "the admin could not answer; see the service's log");
    }
  }

  private void route(Exchange exchange, Map<String, String> headers) throws IOException {
    String path = exchange.path();
    if (!path.startsWith(basePath)
        || !(path.length() == basePath.length() || path.charAt(basePath.length()) == '/')) {
      throw new AdminProblem(404, "Not found", "the admin answers under " + basePath + "/");
    }
    if (!remoteClients && !exchange.fromLoopback()) {
      throw new AdminProblem(
          403, "Forbidden", "the admin answers clients on this machine only (loopback)");
    }
    String rest = path.substring(basePath.length());
    if (rest.isEmpty()) {
      headers.put("Location", basePath + "/");
      methods(exchange, READS);
      exchange.send(308, headers, new byte[0]);
      return;
    }
    if (rest.startsWith("/api/")) {
      headers.put("Cache-Control", "no-store");
      api(exchange, rest.substring("/api/".length()), headers);
      return;
    }
    String name = rest.equals("/") ? "index.html" : rest.substring(1);
    Pages.File file = Pages.isPlainName(name) ? pages.file(name) : null;
    if (file == null) {
      throw new AdminProblem(404, "Not found", "no such admin page file");
    }
    methods(exchange, READS);
    headers.put("Content-Type", file.contentType());
    headers.put("Cache-Control", "no-cache");
    exchange.send(200, headers, file.bytes());
  }

  private void api(Exchange exchange, String route, Map<String, String> headers)
      throws IOException {
    String query = exchange.query();
    if (query != null && query.toLowerCase(Locale.ROOT).matches("(.*[&;])?(access_)?token=.*")) {
      throw new AdminProblem(
          400,
          "Token in the URL",
          "a token in a URL ends up in logs and histories; send 'Authorization: Bearer <token>'");
    }
    if (!route.startsWith("v1/")) {
      throw new AdminProblem(404, "Not found", "the API is under api/v1/");
    }
    String[] parts = route.substring("v1/".length()).split("/", -1);
    String resource = parts[0];
    if (parts.length == 1 && resource.equals("level") && exchange.method().equals("POST")) {
      authorize(exchange, false);
      writes.level(body(exchange));
      json(exchange, headers, 200, views.level());
    } else if (parts.length == 1 && SECTIONS.contains(resource)) {
      methods(exchange, resource.equals("level") ? READS + ", " + WRITES : READS);
      authorize(exchange, true);
      json(exchange, headers, 200, read(resource));
    } else if (parts.length == 1 && resource.equals("events")) {
      methods(exchange, READS);
      authorize(exchange, true);
      if (exchange.method().equals("HEAD")) {
        if (streams.get() >= maxStreams) {
          throw tooManyStreams();
        }
        exchange.send(200, streamHeaders(headers), new byte[0]);
      } else {
        stream(exchange, headers);
      }
    } else if (parts.length == 2
        && List.of("features", "breakers", "shifts").contains(resource)
        && !parts[1].isEmpty()) {
      methods(exchange, WRITES);
      authorize(exchange, false);
      Map<String, @Nullable Object> body = body(exchange);
      String name = decode(parts[1]);
      json(
          exchange,
          headers,
          200,
          switch (resource) {
            case "features" -> Views.feature(writes.feature(name, body));
            case "breakers" -> views.breaker(writes.breaker(name, body));
            default -> migration.shiftAction(name, body);
          });
    } else {
      throw new AdminProblem(
          404, "Not found", "no such API route; see GET " + basePath + "/api/v1/state");
    }
  }

  /**
   * Reads and drops what is left of a refused request's body (up to {@code maxBodyBytes}), so that
   * the server can keep the connection for the client's next request instead of closing it under a
   * client that is already sending on it.
   */
  private void discardBody(Exchange exchange) {
    if (exchange.method().equals("POST")) {
      try (InputStream in = exchange.body()) {
        var unused = in.readNBytes(maxBodyBytes + 1);
      } catch (IOException | RuntimeException e) {
        // the client went away, or the body was read already: nothing to keep
      }
    }
  }

  /** A path segment with its %-escapes decoded ('+' stays a '+': this is a path, not a form). */
  private static String decode(String segment) {
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AdminProblem(
          404, "Not found", "the name in the path is not a valid %-escaped name");
    }
  }

  private Object read(String section) {
    return switch (section) {
      case "state" -> state();
      case "level" -> views.level();
      case "features" -> views.features();
      case "breakers" -> views.breakers();
      case "bulkheads" -> views.bulkheads();
      case "executors" -> views.executors();
      case "limiters" -> views.limiters();
      case "incidents" -> views.incidents();
      case "experiments" -> migration.experiments();
      case "shifts" -> migration.shifts();
      case "history" -> views.history();
      default -> throw new AssertionError(section);
    };
  }

  /**
   * Every section, with the id of the last event sent before it was read: a client that follows the
   * stream from that id (as {@code Last-Event-ID}) misses no change made after this view.
   */
  private Map<String, @Nullable Object> state() {
    String lastEventId = hub.lastEventId(); // before the views: a later change comes again
    Map<String, @Nullable Object> state = views.state();
    state.put("lastEventId", lastEventId);
    return state;
  }

  /** Refuses a method that is not in {@code allowed} with 405 and the methods that are. */
  private static void methods(Exchange exchange, String allowed) {
    if (!List.of(allowed.split(", ")).contains(exchange.method())) {
      throw new AdminProblem(
          405, "Method not allowed", "use " + allowed + " here", Map.of("Allow", allowed));
    }
  }

  private void authorize(Exchange exchange, boolean read) {
    if (read
        && openReadsOnLoopback
        && exchange.fromLoopback()
        && isLoopbackHost(exchange.header("Host"))) {
      return;
    }
    if (!token.matches(exchange.header("Authorization"))) {
      throw new AdminProblem(
          401,
          "Unauthorized",
          "send the admin token as 'Authorization: Bearer <token>'",
          Map.of("WWW-Authenticate", "Bearer realm=\"brownout\""));
    }
  }

  /**
   * Whether the request names this machine as its host: a page of another site whose name was
   * rebound to 127.0.0.1 (DNS rebinding) sends its own name, and must not read without the token.
   */
  static boolean isLoopbackHost(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String name = host.strip().toLowerCase(Locale.ROOT);
    if (name.startsWith("[")) {
      return name.startsWith("[::1]") && name.matches("\\[::1](:[0-9]{1,5})?");
    }
    name = name.replaceFirst(":[0-9]{1,5}$", "");
    return name.equals("localhost") || name.matches("127(\\.[0-9]{1,3}){3}");
  }

  /** The request body, a JSON object of at most {@code maxBodyBytes}, sent as JSON. */
  private Map<String, @Nullable Object> body(Exchange exchange) throws IOException {
    String type = exchange.header("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).strip().matches("application/json\\s*(;.*)?")) {
      // Forms (the content types a page of another site can post without asking) never pass.
      throw new AdminProblem(
          415,
          "Unsupported media type",
          "send the body as 'Content-Type: application/json', not " + type);
    }
    String length = exchange.header("Content-Length");
    if (length != null
        && length.strip().matches("[0-9]{1,18}")
        && Long.parseLong(length.strip()) > maxBodyBytes) {
      throw tooLarge();
    }
    byte[] bytes;
    try (InputStream in = exchange.body()) {
      bytes = in.readNBytes(maxBodyBytes + 1);
    }
    if (bytes.length > maxBodyBytes) {
      throw tooLarge();
    }
    try {
      return Json.readObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new AdminProblem(400, "Bad JSON", String.valueOf(e.getMessage()));
    }
  }

  private AdminProblem tooLarge() {
    return new AdminProblem(
        413, "Body too large", "a request body may have at most " + maxBodyBytes + " bytes");
  }

  private void stream(Exchange exchange, Map<String, String> headers) throws IOException {
    if (streams.incrementAndGet() > maxStreams) {
      streams.decrementAndGet();
      throw tooManyStreams();
    }
    try {
      EventHub.Client client = hub.subscribe(exchange.header("Last-Event-ID"));
      if (client == null) {
        throw new AdminProblem(503, "Closed", "the admin is closed");
      }
      try {
        try (OutputStream out = exchange.stream(streamHeaders(headers))) {
          out.write("retry: 2000\n: brownout admin events\n\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          follow(client, out);
        }
      } finally {
        hub.unsubscribe(client);
      }
    } finally {
      streams.decrementAndGet();
    }
  }

  private AdminProblem tooManyStreams() {
    return new AdminProblem(
        503,
        "Too many event streams",
        "at most " + maxStreams + " clients may follow the stream at once",
        Map.of("Retry-After", "5"));
  }

  private static Map<String, String> streamHeaders(Map<String, String> headers) {
    headers.put("Content-Type", EVENT_STREAM);
    headers.put("X-Accel-Buffering", "no"); // a proxy in front must not hold events back
    return headers;
  }

  /** Writes the client's events until the hub ends its stream or the client goes away. */
  private void follow(EventHub.Client client, OutputStream out) throws IOException {
    byte[] keepAlive = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    try {
      while (true) {
        EventHub.Event event = client.next(keepAliveMillis);
        if (EventHub.isEnd(event)) {
          return;
        }
        out.write(event == null ? keepAlive : event.frame());
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while following the event stream");
    }
  }

  private static void json(Exchange exchange, Map<String, String> headers, int status, Object value)
      throws IOException {
    headers.put("Content-Type", "application/json");
    exchange.send(status, headers, Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  private static void problem(
      Exchange exchange, Map<String, String> headers, int status, String title, String detail)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    headers.put("Content-Type", "application/problem+json");
    headers.put("Cache-Control", "no-store");
    exchange.send(status, headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
  }

  /** Settings of an {@link AdminApi}; checked by {@link #build}. */
  public static final class Builder {
    private final Brownout brownout;
    private final Features features;
    private @Nullable String token;
    private String basePath = "/brownout";
    private @Nullable RecentIncidents incidents;
    private boolean openReadsOnLoopback;
    private boolean remoteClients;
    private int maxBodyBytes = 4096;
    private int maxStreams = 8;
    private int replayedEvents = 256;
    private int clientQueue = 512;
    private java.time.Duration keepAlive = java.time.Duration.ofSeconds(15);
    String pageFolder = Pages.FOLDER; // tests serve their own

    private Builder(Brownout brownout, Features features) {
      this.brownout = brownout;
      this.features = features;
    }

    /**
     * The bearer token every write (and, unless {@link #openReadsOnLoopback}, every read) must send
     * as {@code Authorization: Bearer <token>}; at least 16 characters. Required.
     */
    public Builder token(String token) {
      this.token = token;
      return this;
    }

    /** The path the admin answers under (default {@code /brownout}): {@code /} and a name. */
    public Builder basePath(String path) {
      Settings.notNull("admin.basePath", path);
      if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
        throw Settings.invalid(
            "admin.basePath",
            "'" + path + "'",
            "must be a path such as /brownout, without a final /");
      }
      this.basePath = path;
      return this;
    }

    /** Where the incidents the admin shows come from (none shown without it). */
    public Builder incidents(RecentIncidents incidents) {
      this.incidents = Settings.notNull("admin.incidents", incidents);
      return this;
    }

    /** Lets clients on loopback read without the token (writes always need it); off by default. */
    public Builder openReadsOnLoopback() {
      this.openReadsOnLoopback = true;
      return this;
    }

    /**
     * Answers clients that are not on loopback too (by default they get a 403); for a server bound
     * to another interface behind its own access control, such as a management network.
     */
    public Builder allowRemoteClients() {
      this.remoteClients = true;
      return this;
    }

    /** The largest request body accepted (default 4096 bytes); a larger one gets a 413. */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes =
          Settings.atMost(
              "admin.maxBodyBytes", Settings.positive("admin.maxBodyBytes", bytes), 1 << 20);
      return this;
    }

    /** How many clients may follow the event stream at once (default 8); more get a 503. */
    public Builder maxStreams(int streams) {
      this.maxStreams =
          Settings.atMost("admin.maxStreams", Settings.positive("admin.maxStreams", streams), 1024);
      return this;
    }

    /** How many recent events a reconnecting client can be sent again (default 256). */
    public Builder replayedEvents(int events) {
      this.replayedEvents =
          Settings.atMost(
              "admin.replayedEvents", Settings.positive("admin.replayedEvents", events), 65536);
      return this;
    }

    /**
     * How many events may wait for one slow client (default 512); a client further behind is
     * disconnected, and reconnects with its last event id.
     */
    public Builder clientQueue(int events) {
      this.clientQueue =
          Settings.atMost(
              "admin.clientQueue", Settings.atLeast("admin.clientQueue", events, 2), 65536);
      return this;
    }

    /**
     * How often an idle event stream gets a comment line, so proxies keep it open (default 15 s).
     */
    public Builder keepAlive(java.time.Duration interval) {
      this.keepAlive = Settings.positive("admin.keepAlive", interval);
      return this;
    }

    /** The admin; it starts its summary thread now. */
    public AdminApi build() {
      if (token == null) {
        throw Settings.invalid(
            "admin.token",
            null,
            "must be set: every write needs it (AdminApi.randomToken() makes one)");
      }
      return new AdminApi(this);
    }
  }
}
