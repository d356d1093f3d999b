package dev.brownout.recover;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

/**
 * One recovered panic: a crash inside a request or a task that was turned into a clean error
 * instead of a dead worker. The id is what a user quotes to support and what the log line carries,
 * so it is short, unique, and safe to put in a URL, a header or a JSON string as it is.
 *
 * <pre>{@code
 * Incident incident = Incident.of("GET /questions", new IllegalStateException("boom"), Instant.now());
 * incident.id();              // e.g. "inc-5k2x9q7m3h8w"
 * incident.throwableClass();  // "java.lang.IllegalStateException"
 * incident.outcome();         // RECOVERED
 * }</pre>
 *
 * <p>It deliberately holds no message and no stack trace: an incident is what may travel (to a
 * client, a metric, an admin page); the details stay in the one log line that carries its id.
 */
public final class Incident {

  /** What became of the crash once it was recorded. */
  public enum Outcome {
    /** The caller got a clean error or a fallback value, and the worker went on. */
    RECOVERED,
    /**
     * The response had already started, so instead of a second body the connection was closed and
     * the client sees a truncated response it can tell from a complete one.
     */
    CONNECTION_CLOSED,
    /** A fatal error (out of memory, a broken JVM): logged and counted, then passed on. */
    RETHROWN,
    /** The throwable had already escaped its thread; it was recorded as the thread ended. */
    THREAD_ENDED
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final int ID_CHARS = 12;

  private final String id;
  private final Instant time;
  private final String place;
  private final String throwableClass;
  private final Outcome outcome;

  private Incident(String id, Instant time, String place, String throwableClass, Outcome outcome) {
    this.id = id;
    this.time = time;
    this.place = place;
    this.throwableClass = throwableClass;
    this.outcome = outcome;
  }

  /**
   * A recovered incident for {@code thrown} at {@code place} (a route or task name). The place is
   * neutralised with {@link LogSafe#neutralise} since it often comes from the client.
   */
  public static Incident of(String place, Throwable thrown, Instant time) {
    Objects.requireNonNull(thrown, "thrown");
    Objects.requireNonNull(time, "time");
    return of(place, thrown.getClass(), time, Outcome.RECOVERED);
  }

  static Incident of(String place, Class<?> type, Instant time, Outcome outcome) {
    // Class names are not client text, but a generated class may be named anything the JVM allows.
    return new Incident(
        newId(), time, LogSafe.neutralise(place), LogSafe.neutralise(type.getName()), outcome);
  }

  /** A fresh id: "inc-" and 12 characters of Crockford base32 from 60 random bits. */
  static String newId() {
    long bits = RANDOM.nextLong();
    char[] id = new char[ID_CHARS];
    for (int i = 0; i < ID_CHARS; i++) {
      id[i] = ALPHABET[(int) (bits & 31)];
      bits >>>= 5;
    }
    return "inc-" + new String(id);
  }

  public String id() {
    return id;
  }

  public Instant time() {
    return time;
  }

  /** Where it happened: a route template or a task name, neutralised for logs. */
  public String place() {
    return place;
  }

  public String throwableClass() {
    return throwableClass;
  }

  public Outcome outcome() {
    return outcome;
  }

  @Override
  public String toString() {
    return "Incident["
        + id
        + " at "
        + place
        + ", "
        + throwableClass
        + ", "
        + outcome
        + ", "
        + time
        + "]";
  }
}
