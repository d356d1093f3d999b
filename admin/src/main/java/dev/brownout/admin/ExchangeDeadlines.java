package dev.brownout.admin;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends an exchange of an {@link AdminServer} that is not over within its deadline, so that a client
 * that sends its request a byte at a time, or never reads the answer, holds one of the server's few
 * threads for that long at most, whatever its token.
 *
 * <p>Why this works: the JDK's {@code HttpServer} reads a request head, and the admin its body and
 * answer, on the executor's thread with blocking channel I/O; a channel is interruptible, so
 * interrupting that thread closes the connection and the exchange ends with an {@code IOException}.
 * An event stream, which lasts as long as its client follows it, is exempt once it starts: the
 * admin bounds streams by number ({@link AdminApi.Builder#maxStreams}), and the server has a few
 * threads more than that.
 *
 * <p>What it does not do: a deadline starts when a thread takes the exchange up, so a burst of slow
 * clients larger than the threads delays the next real request by about the deadline times the
 * burst over the threads; a client that keeps opening such connections keeps the admin busy. That
 * client is on the machine (the admin binds loopback) or on the management network it was bound to,
 * where a proxy with per-client limits belongs.
 */
final class ExchangeDeadlines implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeDeadlines.class);
  private static final ThreadLocal<@Nullable Watched> CURRENT = new ThreadLocal<>();
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final long timeoutNanos;
  private final Set<Watched> running = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watchdog;
  private final AtomicLong ended = new AtomicLong();
  private long loggedAt = System.nanoTime() - LOG_EVERY_NANOS;
  private long loggedEnded;

  ExchangeDeadlines(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "brownout-admin-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    long every = Math.max(10, timeout.toMillis() / 4);
    var unused = watchdog.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  /** {@code threads}, with each exchange they run watched from the moment it starts. */
  Executor around(Executor threads) {
    return exchange -> threads.execute(() -> watched(exchange));
  }

  private void watched(Runnable exchange) {
    Watched watched = new Watched(Thread.currentThread(), System.nanoTime());
    running.add(watched);
    CURRENT.set(watched);
    try {
      exchange.run();
    } finally {
      watched.disarm();
      running.remove(watched);
      CURRENT.remove();
      // after disarm(): no interrupt meant for this exchange can reach the thread's next one
      var unused = Thread.interrupted();
    }
  }

  /** Lifts the deadline of the exchange on this thread, if it has one: an event stream starts. */
  static void exempt() {
    Watched watched = CURRENT.get();
    if (watched != null) {
      watched.disarm();
    }
  }

  /** How many exchanges were ended at their deadline. */
  long ended() {
    return ended.get();
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Watched watched : running) {
      if (now - watched.started > timeoutNanos && watched.expire()) {
        ended.incrementAndGet();
      }
    }
    long total = ended.get();
    if (total > loggedEnded && now - loggedAt >= LOG_EVERY_NANOS) {
      LOG.warn(
          "admin: ended {} exchange(s) not over within {} ms ({} so far): a client sends or reads"
              + " too slowly",
          total - loggedEnded,
          TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
          total);
      loggedEnded = total;
      loggedAt = now;
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  /** One running exchange: its thread, when it started, and whether it may still be ended. */
  private static final class Watched {
    final Thread thread;
    final long started;
    private boolean over;

    Watched(Thread thread, long started) {
      this.thread = thread;
      this.started = started;
    }

    /** The exchange finished, or became an event stream: it is not ended any more. */
    synchronized void disarm() {
      over = true;
    }

    /** Interrupts the exchange's thread unless it finished or was exempted; once. */
    synchronized boolean expire() {
      if (over) {
        return false;
      }
      over = true;
      thread.interrupt();
      return true;
    }
  }
}
