package dev.brownout.degradation;

import dev.brownout.core.Limiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * A server in simulated time: {@code workers} serve requests first come, first served, each for a
 * service time of about what {@code service} says as it starts (uniform within ±20%: the features a
 * request uses decide its work); requests arrive as a Poisson stream; a client gives up on a
 * request after {@code clientTimeout} (the server still serves it: the work is wasted, as in most
 * servers). In front of it, optionally, a {@link Limiter} (refusing at once) or a fixed bulkhead.
 * Time is {@link #now()}, moved from event to event (give it to the runtime as its ticker); nothing
 * sleeps, and a seed makes a run exact.
 */
final class AdmissionSimulation {

  /** The admission in front of the server. */
  interface Gate {
    long tryAcquire();

    void onSuccess(long permit);

    void onDropped(long permit);
  }

  static Gate none() {
    return new Gate() {
      @Override
      public long tryAcquire() {
        return 0;
      }

      @Override
      public void onSuccess(long permit) {}

      @Override
      public void onDropped(long permit) {}
    };
  }

  static Gate bulkhead(int permits) {
    return new Gate() {
      int inFlight;

      @Override
      public long tryAcquire() {
        if (inFlight >= permits) {
          return Limiter.REFUSED;
        }
        inFlight++;
        return 0;
      }

      @Override
      public void onSuccess(long permit) {
        inFlight--;
      }

      @Override
      public void onDropped(long permit) {
        inFlight--;
      }
    };
  }

  static Gate limiter(Limiter limiter) {
    return new Gate() {
      @Override
      public long tryAcquire() {
        return limiter.tryAcquire();
      }

      @Override
      public void onSuccess(long permit) {
        limiter.onSuccess(permit);
      }

      @Override
      public void onDropped(long permit) {
        limiter.onDropped(permit);
      }
    };
  }

  /** What a stretch of the run measured (never compared: the latencies stay a plain array). */
  @SuppressWarnings("ArrayRecordComponent")
  record Stats(
      long arrived, long refused, long served, long timedOut, long[] latencies, double seconds) {
    /** Requests answered within the client's timeout, per second. */
    double goodput() {
      return served / seconds;
    }

    long p99() {
      if (latencies.length == 0) {
        return 0;
      }
      long[] sorted = latencies.clone();
      Arrays.sort(sorted);
      return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
    }

    @Override
    public String toString() {
      return String.format(
          "arrived %d, refused %d, served %d (%.0f/s), timed out %d, p99 %.1f ms",
          arrived, refused, served, goodput(), timedOut, p99() / 1e6);
    }
  }

  private static final int ARRIVE = 0;
  private static final int FINISH = 1;
  private static final int GIVE_UP = 2;
  private static final int TICK = 3;

  private record Event(long at, long seq, int kind, Request request) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  private static final class Request {
    final long arrived;
    final long permit;
    boolean answered;
    boolean abandoned;

    Request(long arrived, long permit) {
      this.arrived = arrived;
      this.permit = permit;
    }
  }

  private long now = 1_000_000_000L;
  private Gate gate = none();
  private final SplittableRandom random;
  private final LongSupplier service;
  private final long clientTimeoutNanos;
  private final java.util.List<Runnable> ticks = new java.util.ArrayList<>();
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private int freeWorkers;
  private double arrivalsPerSecond;
  private double lostShare;
  private long seq;

  // The current stretch.
  private long arrived;
  private long refused;
  private long served;
  private long timedOut;
  private long[] latencies = new long[1 << 16];
  private int latencyCount;

  AdmissionSimulation(long seed, int workers, Duration service, Duration clientTimeout) {
    this(seed, workers, () -> service.toNanos(), clientTimeout);
  }

  AdmissionSimulation(long seed, int workers, LongSupplier serviceNanos, Duration clientTimeout) {
    this.random = new SplittableRandom(seed);
    this.freeWorkers = workers;
    this.service = serviceNanos;
    this.clientTimeoutNanos = clientTimeout.toNanos();
  }

  /** The simulated time, in nanoseconds: the runtime's ticker. */
  long now() {
    return now;
  }

  /** The admission in front of the server, from now on. */
  void gate(Gate admission) {
    this.gate = admission;
  }

  /** Runs {@code action} once every simulated second (a features refresh, a reading). */
  void everySecond(Runnable action) {
    if (ticks.isEmpty()) {
      schedule(now + 1_000_000_000L, TICK, null);
    }
    ticks.add(action);
  }

  /** Requests a second arriving from now on. */
  void arrivals(double perSecond) {
    boolean first = arrivalsPerSecond == 0;
    arrivalsPerSecond = perSecond;
    if (first) {
      scheduleArrival();
    }
  }

  /**
   * From now on, this share of requests is lost by the server: never answered, so the client times
   * out.
   */
  void lost(double share) {
    lostShare = share;
  }

  /** Adds (or, negative, removes as they come free) workers. */
  void workers(int delta) {
    freeWorkers += delta;
    startWork();
  }

  /** Runs for {@code duration} of simulated time and returns what that stretch measured. */
  Stats run(Duration duration) {
    arrived = refused = served = timedOut = 0;
    latencyCount = 0;
    long end = now + duration.toNanos();
    while (!events.isEmpty() && events.peek().at <= end) {
      Event event = events.poll();
      now = event.at;
      switch (event.kind) {
        case ARRIVE -> arrive();
        case FINISH -> finish(event.request);
        case GIVE_UP -> giveUp(event.request);
        case TICK -> tick();
        default -> throw new AssertionError(event.kind);
      }
    }
    now = end;
    return new Stats(
        arrived,
        refused,
        served,
        timedOut,
        Arrays.copyOf(latencies, latencyCount),
        duration.toNanos() / 1e9);
  }

  private void tick() {
    schedule(now + 1_000_000_000L, TICK, null);
    ticks.forEach(Runnable::run);
  }

  private void scheduleArrival() {
    double gapSeconds = -Math.log(1 - random.nextDouble()) / arrivalsPerSecond;
    schedule(now + (long) (gapSeconds * 1e9), ARRIVE, null);
  }

  private void schedule(long at, int kind, Request request) {
    events.add(new Event(at, seq++, kind, request));
  }

  private void arrive() {
    scheduleArrival();
    arrived++;
    long permit = gate.tryAcquire();
    if (permit == Limiter.REFUSED) {
      refused++;
      return;
    }
    Request request = new Request(now, permit);
    queue.add(request);
    schedule(request.arrived + clientTimeoutNanos, GIVE_UP, request);
    startWork();
  }

  private void startWork() {
    while (freeWorkers > 0 && !queue.isEmpty()) {
      Request request = queue.poll();
      if (lostShare > 0 && random.nextDouble() < lostShare) {
        continue;
      }
      freeWorkers--;
      long work = (long) (service.getAsLong() * (0.8 + 0.4 * random.nextDouble()));
      schedule(now + work, FINISH, request);
    }
  }

  private void finish(Request request) {
    freeWorkers++;
    if (!request.abandoned) {
      request.answered = true;
      served++;
      if (latencyCount == latencies.length) {
        latencies = Arrays.copyOf(latencies, latencyCount * 2);
      }
      latencies[latencyCount++] = now - request.arrived;
      gate.onSuccess(request.permit);
    }
    startWork();
  }

  private void giveUp(Request request) {
    if (!request.answered) {
      request.abandoned = true;
      timedOut++;
      gate.onDropped(request.permit);
    }
  }
}
