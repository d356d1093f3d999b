package dev.brownout.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The service's dependencies, simulated on loopback: three HTTP services (comments, avatars,
 * recommendations) whose latency and failure rate can be changed while they run, which is how the
 * scenario makes an outage and a latency spike.
 */
final class Downstreams implements AutoCloseable {

  static final String COMMENTS = "comments";
  static final String AVATARS = "avatars";
  static final String RECOMMENDATIONS = "recommendations";

  /**
   * The healthy latencies: tens of milliseconds, as remote calls take, so that the fan-out's
   * threads (not the machine's CPU) bound what the service can serve, at rates a 2-core machine
   * drives with room to spare: the scenario's load step goes beyond that capacity, not beyond the
   * machine's.
   */
  static final Map<String, Duration> HEALTHY =
      Map.of(
          COMMENTS, Duration.ofMillis(30),
          AVATARS, Duration.ofMillis(10),
          RECOMMENDATIONS, Duration.ofMillis(60));

  /** The most latency a dependency can be given: enough for any outage the demo shows. */
  static final Duration MAX_LATENCY = Duration.ofMinutes(1);

  /** How one simulated dependency behaves right now. */
  static final class Behaviour {
    private volatile long latencyMillis;
    private volatile double failureRate;

    Behaviour(long latencyMillis) {
      this.latencyMillis = latencyMillis;
    }

    void set(Duration latency, double failures) {
      if (latency.isNegative() || latency.compareTo(MAX_LATENCY) > 0) {
        throw new IllegalArgumentException(
            "latency must be from 0 to " + MAX_LATENCY.toSeconds() + "s, but was " + latency);
      }
      if (!(failures >= 0.0 && failures <= 1.0)) {
        throw new IllegalArgumentException("failure must be from 0 to 1, but was " + failures);
      }
      latencyMillis = latency.toMillis();
      failureRate = failures;
    }

    long latencyMillis() {
      return latencyMillis;
    }

    double failureRate() {
      return failureRate;
    }

    @Override
    public String toString() {
      return "latency=" + latencyMillis + "ms failure=" + failureRate;
    }
  }

  private final Map<String, Behaviour> behaviours =
      Map.of(
          COMMENTS, new Behaviour(HEALTHY.get(COMMENTS).toMillis()),
          AVATARS, new Behaviour(HEALTHY.get(AVATARS).toMillis()),
          RECOMMENDATIONS, new Behaviour(HEALTHY.get(RECOMMENDATIONS).toMillis()));
  private final HttpServer server;
  private final ExecutorService workers =
      Executors.newFixedThreadPool(64, Http.daemons("downstream"));

  Downstreams() throws IOException {
    server = Http.server(0, workers);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create(
        "http://"
            + server.getAddress().getHostString()
            + ":"
            + server.getAddress().getPort()
            + "/");
  }

  Behaviour behaviour(String name) {
    Behaviour behaviour = behaviours.get(name);
    if (behaviour == null) {
      throw new IllegalArgumentException(
          "downstream must be one of " + behaviours.keySet() + ", but was '" + name + "'");
    }
    return behaviour;
  }

  /** Sets every downstream back to its healthy behaviour. */
  void heal() {
    HEALTHY.forEach((name, latency) -> behaviour(name).set(latency, 0));
  }

  Map<String, Behaviour> behaviours() {
    return behaviours;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().split("/", -1);
      CommentsBuild build = path.length == 3 ? CommentsBuild.at(path[1]) : null;
      Behaviour behaviour =
          path.length != 3 ? null : build != null ? comments() : behaviours.get(path[1]);
      if (behaviour == null) {
        send(exchange, 404, "no such downstream");
        return;
      }
      long latency = behaviour.latencyMillis() + (build == null ? 0 : build.extraMillis());
      if (latency > 0) {
        try {
          TimeUnit.MILLISECONDS.sleep(latency); // the simulated remote work
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (ThreadLocalRandom.current().nextDouble() < behaviour.failureRate()) {
        send(exchange, 503, path[1] + " is unavailable");
        return;
      }
      send(exchange, 200, build != null ? build.answer(path[2]) : answer(path[1], path[2]));
    }
  }

  /** The comments store both builds of the comments backend read: its weather is theirs. */
  private Behaviour comments() {
    return behaviours.get(COMMENTS);
  }

  /** The answer of a healthy downstream other than comments: lines of text. */
  private static String answer(String service, String id) {
    return switch (service) {
      case AVATARS -> "https://avatars.example/" + id.toLowerCase(Locale.ROOT) + ".png";
      default ->
          IntStream.rangeClosed(1, 3)
              .mapToObj(i -> String.valueOf((Integer.parseInt(id) * 7 + i * 13) % Catalog.SIZE + 1))
              .collect(Collectors.joining("\n"));
    };
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    Http.send(exchange, status, "text/plain; charset=utf-8", body);
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
