package dev.brownout.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
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
 * The built-in client: a few threads, each a reader asking for a random question page, then another
 * {@value #THINK_MILLIS} ms after each answer, checking every response against what the service
 * documents and counting what it saw; and, while a {@linkplain #surge surge} lasts, prefetches sent
 * at a set rate whatever the service does with them (an open loop: offered load that does not slow
 * down when the service does).
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

  /** What the clients saw of one kind of request (views, or prefetches), so far. */
  record Tally(long requests, long coreServed, long crashAnswered, long refused, long notSent) {
    Tally since(Tally earlier) {
      return new Tally(
          requests - earlier.requests,
          coreServed - earlier.coreServed,
          crashAnswered - earlier.crashAnswered,
          refused - earlier.refused,
          notSent - earlier.notSent);
    }

    /** The share of the pages that should have a core (all but the crash route's) that had it. */
    double coreSuccessRate() {
      long core = requests - crashAnswered;
      return core == 0 ? 1.0 : (double) coreServed / core;
    }
  }

  /**
   * The pause of a client between an answer and its next request: the clients' views stay a share
   * of the service's capacity however cheap the pages get (with every part shed, a page takes a
   * millisecond, and clients with no pause would take the whole machine).
   */
  static final long THINK_MILLIS = 25;

  /** Prefetches waiting for an answer at most; more are counted as not sent. */
  private static final int MAX_OUTSTANDING = 512;

  private final URI service;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** The prefetches' own: a client's I/O thread busy with a surge must not delay the views. */
  private final HttpClient prefetchClient =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final List<Thread> clients = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  private final LongAdder requests = new LongAdder();
  private final LongAdder coreServed = new LongAdder();
  private final LongAdder crashAnswered = new LongAdder();
  private final LongAdder unexpected = new LongAdder();
  private final LongAdder viewsRefused = new LongAdder();
  private final LongAdder prefetches = new LongAdder();
  private final LongAdder prefetchesServed = new LongAdder();
  private final LongAdder prefetchesRefused = new LongAdder();
  private final LongAdder prefetchesNotSent = new LongAdder();
  private final java.util.concurrent.atomic.AtomicInteger outstanding =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Thread prefetcher = new Thread(this::prefetch, "load-prefetch");
  private volatile double surgePerSecond;
  private final java.util.concurrent.atomic.AtomicLong firstViewRefusal =
      new java.util.concurrent.atomic.AtomicLong();
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
    prefetcher.setDaemon(true);
  }

  void start() {
    clients.forEach(Thread::start);
    prefetcher.start();
  }

  /** Sends prefetches at {@code perSecond} from now on, on top of the clients' views; 0 stops. */
  void surge(double perSecond) {
    surgePerSecond = perSecond;
  }

  /** Paces the prefetches: one each 1/rate seconds, never catching up on more than 100 ms. */
  private void prefetch() {
    long next = System.nanoTime();
    while (running.get()) {
      double rate = surgePerSecond;
      long now = System.nanoTime();
      if (rate <= 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        next = System.nanoTime();
        continue;
      }
      if (next > now) {
        java.util.concurrent.locks.LockSupport.parkNanos(next - now);
        continue;
      }
      next = Math.max(next, now - TimeUnit.MILLISECONDS.toNanos(100)) + (long) (1e9 / rate);
      if (outstanding.incrementAndGet() > MAX_OUTSTANDING) {
        outstanding.decrementAndGet();
        prefetchesNotSent.increment();
        continue;
      }
      int id = ThreadLocalRandom.current().nextInt(1, Catalog.SIZE);
      if (id >= QaService.CURSED) {
        id++; // no browser prefetches a page that crashes every time: the views show the incidents
      }
      int question = id;
      var unused =
          prefetchClient
              .sendAsync(
                  request(question).header("Sec-Purpose", "prefetch").build(),
                  BodyHandlers.ofString())
              .whenComplete(
                  (response, failure) -> {
                    outstanding.decrementAndGet();
                    if (response != null) {
                      check(question, response, true);
                    } else if (running.get()) {
                      surprise("prefetch of question " + question + ": " + failure);
                    }
                  });
    }
  }

  private HttpRequest.Builder request(int id) {
    return HttpRequest.newBuilder(service.resolve("/questions/" + id))
        .timeout(Duration.ofSeconds(10))
        .GET();
  }

  private void drive() {
    while (running.get()) {
      int id = ThreadLocalRandom.current().nextInt(1, Catalog.SIZE + 1);
      long start = System.nanoTime();
      try {
        HttpResponse<String> response = client.send(request(id).build(), BodyHandlers.ofString());
        latency(System.nanoTime() - start);
        check(id, response, false);
      } catch (IOException e) {
        if (running.get()) {
          surprise("question " + id + ": " + e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(THINK_MILLIS));
    }
  }

  /**
   * Holds a response to the documented contract: the core on every page, a problem for the cursed
   * one, or a refusal at the limit (503 problem+json with a Retry-After).
   */
  private void check(int id, HttpResponse<String> response, boolean prefetch) {
    (prefetch ? prefetches : requests).increment();
    String type = response.headers().firstValue("Content-Type").orElse("");
    String body = response.body();
    if (response.statusCode() == 503
        && type.startsWith("application/problem+json")
        && response.headers().firstValue("Retry-After").isPresent()
        && !body.contains("\"incident\":\"")) {
      if (!prefetch) {
        firstViewRefusal.compareAndSet(0, System.nanoTime());
      }
      (prefetch ? prefetchesRefused : viewsRefused).increment();
      return;
    }
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
    (prefetch ? prefetchesServed : coreServed).increment();
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

  /** The views (the clients' requests) so far. */
  Tally views() {
    return new Tally(requests.sum(), coreServed.sum(), crashAnswered.sum(), viewsRefused.sum(), 0);
  }

  /** When ({@link System#nanoTime()}) the limiter first refused a view, or 0 if it never did. */
  long firstViewRefusalNanos() {
    return firstViewRefusal.get();
  }

  /** The prefetches so far. */
  Tally prefetches() {
    return new Tally(
        prefetches.sum(),
        prefetchesServed.sum(),
        0,
        prefetchesRefused.sum(),
        prefetchesNotSent.sum());
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
      prefetcher.join(TimeUnit.SECONDS.toMillis(15));
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (outstanding.get() > 0 && System.nanoTime() < waitUntil) {
        TimeUnit.MILLISECONDS.sleep(10); // the last prefetches' answers, so every one is counted
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
