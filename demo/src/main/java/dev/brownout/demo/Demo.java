package dev.brownout.demo;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.redis.RedisSwitchSource;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's main job: a Q&A service with three optional features, run through a scripted outage
 * (the default), or kept serving for {@code curl} ({@code --serve}).
 */
public final class Demo {

  private static final String HELP =
      """
      Brownout demo: a Q&A service that keeps its core job through a dependency outage.

      Usage: demo [--seconds N] [--clients N]     run the scripted scenario (default 60 s, 8 clients)
             demo --serve [--port N] [--redis URI]
                                                  keep the service running for curl (default port 8080);
                                                  with --redis, its switches are shared with every
                                                  instance started with the same Redis
             demo --help                          this text

      The scenario starts the service and its simulated dependencies on loopback, drives load from a
      built-in client, takes the recommendations dependency down and slows comments to 800 ms midway,
      then heals both; then prefetches surge to 2.5 times the capacity it measured, and the brownout
      level sheds optional parts while the limiter at the door refuses prefetches, not views. It
      shows a live line (requests/s, p50/p99, level and limit, breakers, degraded features,
      incidents) and ends with a summary. GET /questions/13 crashes on purpose: a recovered incident.
      Through the run the comments backend migrates to v2: an experiment finds a real difference and
      tells it from noise, a slower build is shifted in and rolls back by itself, its fix is promoted.

      With --serve, the service prints its admin token; docs/operations.md walks through it with curl.
      """;

  private static final String LOG_FILE = "org.slf4j.simpleLogger.logFile";

  private Demo() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty(LOG_FILE) == null) {
      // The scenario's live line and the service's start-up text need the terminal; the log (an
      // ERROR with a stack trace per recovered incident, breaker transitions, feature changes) goes
      // to a file instead.
      System.setProperty(
          LOG_FILE,
          java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "brownout-demo.log")
              .toString());
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    int status = run(args, System.out);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out) throws Exception {
    boolean serve = false;
    int port = 8080;
    int seconds = 60;
    int clients = 8;
    String redis = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(HELP);
          return 0;
        }
        case "--serve" -> serve = true;
        case "--port" -> port = number(args, ++i, "--port", 0, 65_535, out);
        case "--seconds" -> seconds = number(args, ++i, "--seconds", 10, 3_600, out);
        case "--clients" -> clients = number(args, ++i, "--clients", 1, 64, out);
        case "--redis" -> {
          if (i + 1 >= args.length) {
            out.println("--redis needs a Redis URI such as redis://localhost:6379");
            return 2;
          }
          redis = args[++i];
        }
        default -> {
          out.println("unknown option '" + args[i] + "'; try --help");
          return 2;
        }
      }
      if (port < 0 || seconds < 0 || clients < 0) {
        return 2;
      }
    }
    if (redis != null && !serve) {
      out.println("--redis goes with --serve: the scenario runs one instance on its own");
      return 2;
    }
    String log = System.getProperty(LOG_FILE);
    if (log != null && !log.equals("System.err") && !log.equals("System.out")) {
      out.println("(the service's log goes to " + log + ")");
    }
    if (serve) {
      serve(port, redis, out);
      return 0;
    }
    Scenario scenario = new Scenario();
    Scenario.Result result =
        scenario.run(Scenario.Timeline.lasting(Duration.ofSeconds(seconds)), clients, out);
    Scenario.printSummary(result, out);
    return result.unexpected() == 0 ? 0 : 1;
  }

  private static int number(
      String[] args, int index, String option, int min, int max, PrintStream out) {
    try {
      int value = Integer.parseInt(args[index]);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      // reported below
    }
    out.println(option + " needs a whole number from " + min + " to " + max);
    return -1;
  }

  private static void serve(int port, String redis, PrintStream out) throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (Brownout brownout = Brownout.builder().build();
        Downstreams downstreams = new Downstreams();
        QaService service = new QaService(brownout, downstreams, port)) {
      if (redis != null) {
        RedisSwitchSource shared =
            RedisSwitchSource.builder(redis).keyPrefix("brownout-demo:").build();
        Features.of(brownout).addSource(shared);
        out.println("switches shared through " + redis + " as instance " + shared.instanceId());
      }
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "demo-stop"));
      out.println("Q&A service on " + service.uri() + " (Ctrl-C stops it)");
      out.println("admin token: " + service.token());
      out.println("admin page:  " + service.adminUri() + " (paste the token there)");
      out.println();
      out.println("  curl " + service.uri() + "/questions/7");
      out.println(
          "  curl -H 'Authorization: Bearer "
              + service.token()
              + "' "
              + service.adminUri()
              + "api/v1/features");
      out.println(
          "  curl -X POST -H 'Authorization: Bearer "
              + service.token()
              + "' -H 'Content-Type: application/json' --data"
              + " '{\"switch\":\"OFF\",\"expiresInSeconds\":300,\"reason\":\"demo\"}' "
              + service.adminUri()
              + "api/v1/features/extras.recommendations");
      stopped.await();
    }
  }
}
