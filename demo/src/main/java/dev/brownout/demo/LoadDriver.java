package dev.brownout.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in client: a few threads asking for random question pages as fast as the service
 * answers, checking every response against what the service documents and counting what it saw.
 */
final class LoadDriver implements AutoCloseable {

  private static final Pattern PART =
      Pattern.compile("\"(comments|avatar|recommendations)\":\\{\"servedBy\":\"([a-z-]+)\"");

  /** What the clients saw in one interval. */
  record Window(long requests, double seconds, long p50Millis, long p99Millis) {
    double perSecond() {
      return seconds <= 0 ? 0 : requests / seconds;
    }
  }

  private final URI service;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Thread> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  private final LongAdder requests = new LongAdder();
  private final LongAdder coreServed = new LongAdder();
  private final LongAdder crashAnswered = new LongAdder();
  private final LongAdder unexpected = new LongAdder();
  private final Map<String, LongAdder> degradedParts = new ConcurrentHashMap<>();
  private final List<String> unexpectedSamples = new ArrayList<>();
  private final Object latencyLock = new Object();
  private long[] latencies = new long[1024];
  private int latencyCount;
  private long windowStart = System.nanoTime();

  LoadDriver(URI service, int clientCount) {
    this.service = service;
    for (int i = 0; i < clientCount; i++) {
      Thread thread = new Thread(this::drive, "load-client-" + i);
      thread.setDaemon(true);
      clients.add(thread);
    }
  }

  void start() {
    clients.forEach(Thread::start);
  }

  private void drive() {
    while (running.get()) {
      int id = ThreadLocalRandom.current().nextInt(1, Catalog.SIZE + 1);
      HttpRequest request =
          HttpRequest.newBuilder(service.resolve("/questions/" + id))
              .timeout(Duration.ofSeconds(10))
              .GET()
              .build();
      long start = System.nanoTime();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        latency(System.nanoTime() - start);
        check(id, response);
      } catch (IOException e) {
        if (running.get()) {
          surprise("question " + id + ": " + e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Holds a response to the documented contract: the core on every page, a problem for the cursed
   * one.
   */
  private void check(int id, HttpResponse<String> response) {
    requests.increment();
    String type = response.headers().firstValue("Content-Type").orElse("");
    String body = response.body();
    if (id == QaService.CURSED) {
      if (response.statusCode() == 500
          && type.startsWith("application/problem+json")
          && body.contains("\"incident\"")
          && !body.contains("Exception")
          && !body.contains("cursed")) {
        crashAnswered.increment();
      } else {
        surprise("question " + id + ": " + response.statusCode() + " " + type);
      }
      return;
    }
    if (response.statusCode() != 200
        || !type.startsWith("application/json")
        || !body.contains("\"answers\":[\"")) {
      surprise(
          "question "
              + id
              + ": "
              + response.statusCode()
              + " "
              + type
              + " "
              + body.substring(0, Math.min(200, body.length())));
      return;
    }
    coreServed.increment();
    Matcher part = PART.matcher(body);
    int parts = 0;
    while (part.find()) {
      parts++;
      if (!part.group(2).equals("live")) {
        degradedParts
            .computeIfAbsent(part.group(1) + " " + part.group(2), k -> new LongAdder())
            .increment();
      }
    }
    if (parts != 3) {
      surprise("question " + id + ": " + parts + " optional parts instead of 3");
    }
  }

  private void surprise(String what) {
    unexpected.increment();
    synchronized (unexpectedSamples) {
      if (unexpectedSamples.size() < 10) {
        unexpectedSamples.add(what);
      }
    }
  }

  private void latency(long nanos) {
    synchronized (latencyLock) {
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencies.length * 2);
      }
      latencies[latencyCount++] = nanos;
    }
  }

  /** The requests and latency percentiles since the last call. */
  Window window() {
    long[] taken;
    long now = System.nanoTime();
    double seconds;
    synchronized (latencyLock) {
      taken = Arrays.copyOf(latencies, latencyCount);
      latencyCount = 0;
      seconds = (now - windowStart) / 1e9;
      windowStart = now;
    }
    Arrays.sort(taken);
    return new Window(
        taken.length, seconds, percentileMillis(taken, 0.50), percentileMillis(taken, 0.99));
  }

  private static long percentileMillis(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    return TimeUnit.NANOSECONDS.toMillis(
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)]);
  }

  long requests() {
    return requests.sum();
  }

  long coreServed() {
    return coreServed.sum();
  }

  long crashAnswered() {
    return crashAnswered.sum();
  }

  long unexpected() {
    return unexpected.sum();
  }

  List<String> unexpectedSamples() {
    synchronized (unexpectedSamples) {
      return List.copyOf(unexpectedSamples);
    }
  }

  /** Degraded optional parts seen, by "part servedBy". */
  Map<String, Long> degradedParts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    degradedParts.forEach((k, v) -> counts.put(k, v.sum()));
    return counts;
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops the clients and waits for their last requests. */
  void stop() {
    running.set(false);
    try {
      for (Thread thread : clients) {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
