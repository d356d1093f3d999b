package dev.brownout.recover;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Objects;

/**
 * One recovered panic: a crash inside a request or a task that was turned into a clean error instead
 * of a dead worker. The id is what a user quotes to support and what the log line carries, so it is
 * short, unique, and safe to put in a URL, a header or a JSON string as it is.
 *
 * <pre>{@code
 * Incident incident = Incident.of("GET /questions/{id}", new IllegalStateException("boom"), Instant.now());
 * incident.id();              // e.g. "inc-5k2x9q7m3h8w"
 * incident.throwableClass();  // "java.lang.IllegalStateException"
 * }</pre>
 */
public final class Incident {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final int ID_CHARS = 12;

  private final String id;
  private final Instant time;
  private final String place;
  private final String throwableClass;

  private Incident(String id, Instant time, String place, String throwableClass) {
    this.id = id;
    this.time = time;
    this.place = place;
    this.throwableClass = throwableClass;
  }

  /**
   * An incident for {@code thrown} at {@code place} (a route or task name). The place is neutralised
   * with {@link LogSafe#neutralise} since it often comes from the client.
   */
  public static Incident of(String place, Throwable thrown, Instant time) {
    Objects.requireNonNull(thrown, "thrown");
    Objects.requireNonNull(time, "time");
    return new Incident(newId(), time, LogSafe.neutralise(place), thrown.getClass().getName());
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

  public String place() {
    return place;
  }

  public String throwableClass() {
    return throwableClass;
  }

  @Override
  public String toString() {
    return "Incident[" + id + " at " + place + ", " + throwableClass + ", " + time + "]";
  }
}
