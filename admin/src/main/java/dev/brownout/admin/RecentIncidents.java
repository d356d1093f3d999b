package dev.brownout.admin;

import dev.brownout.core.internal.Settings;
import dev.brownout.recover.Incident;
import dev.brownout.recover.IncidentLog;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The most recent incidents, for the admin to show: an {@link IncidentLog} that keeps the last few
 * and passes every incident on to the log it wraps (SLF4J by default), so that the admin sees what
 * the recovery filters record without changing where incidents are written.
 *
 * <pre>{@code
 * RecentIncidents incidents = RecentIncidents.keeping(100);
 * Recover recover = Recover.builder().log(incidents).build();
 * AdminApi admin = AdminApi.builder(brownout, features).incidents(incidents)...build();
 * }</pre>
 */
public final class RecentIncidents implements IncidentLog {

  private final int capacity;
  private final IncidentLog next;
  private final ArrayDeque<Incident> recent;
  private final List<Consumer<Incident>> listeners = new CopyOnWriteArrayList<>();
  private long total;

  private RecentIncidents(int capacity, IncidentLog next) {
    this.capacity = Settings.positive("admin.incidents.capacity", capacity);
    this.next = Settings.notNull("admin.incidents.log", next);
    this.recent = new ArrayDeque<>(capacity);
  }

  /** Keeps the last {@code capacity} incidents and writes each to SLF4J. */
  public static RecentIncidents keeping(int capacity) {
    return new RecentIncidents(capacity, IncidentLog.slf4j());
  }

  /** Keeps the last {@code capacity} incidents and writes each to {@code log}. */
  public static RecentIncidents keeping(int capacity, IncidentLog log) {
    return new RecentIncidents(capacity, log);
  }

  @Override
  public void incident(Incident incident, Throwable thrown) {
    try {
      next.incident(incident, thrown);
    } finally {
      synchronized (recent) {
        if (recent.size() == capacity) {
          recent.removeFirst();
        }
        recent.addLast(incident);
        total++;
      }
      for (Consumer<Incident> listener : listeners) {
        listener.accept(incident);
      }
    }
  }

  @Override
  public void problemWriterFailed(Incident incident, Throwable failure) {
    next.problemWriterFailed(incident, failure);
  }

  /** The incidents kept, oldest first. */
  public List<Incident> recent() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  /** How many incidents were recorded, kept or not. */
  public long total() {
    synchronized (recent) {
      return total;
    }
  }

  void addListener(Consumer<Incident> listener) {
    listeners.add(listener);
  }

  void removeListener(Consumer<Incident> listener) {
    listeners.remove(listener);
  }
}
