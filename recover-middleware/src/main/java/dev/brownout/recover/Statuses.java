package dev.brownout.recover;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The configured exception → status mapping. The most specific mapped type wins, whatever the order
 * of configuration; the throwable is tried first, then its causes, because frameworks wrap (a
 * {@code ServletException} around the {@code IllegalArgumentException} that was mapped to 400).
 */
final class Statuses {

  static final int DEFAULT = 500;

  /** Causes followed at most; a chain longer than this is a bug of its own. */
  private static final int MAX_DEPTH = 16;

  private final Map<Class<? extends Throwable>, Integer> statuses;

  Statuses(Map<Class<? extends Throwable>, Integer> statuses) {
    this.statuses = Map.copyOf(statuses);
  }

  int statusFor(Throwable thrown) {
    if (statuses.isEmpty()) {
      return DEFAULT;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Throwable current = thrown;
    for (int depth = 0; current != null && depth < MAX_DEPTH && seen.add(current); depth++) {
      for (Class<?> type = current.getClass();
          type != Throwable.class;
          type = type.getSuperclass()) {
        Integer status = statuses.get(type);
        if (status != null) {
          return status;
        }
      }
      current = causeOf(current);
    }
    return DEFAULT;
  }

  /**
   * The cause, or null if the getter throws. Whatever it throws (an {@code Error} too) belongs to
   * the throwable being answered, not to this lookup, so it ends the walk rather than the response.
   */
  private static Throwable causeOf(Throwable thrown) {
    try {
      return thrown.getCause();
    } catch (Throwable broken) {
      return null;
    }
  }
}
