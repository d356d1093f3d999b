package dev.brownout.recover;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/** An {@link IncidentLog} that keeps what it is given, so tests can say "logged exactly once". */
public final class CapturingLog implements IncidentLog {

  /** One logged incident and the throwable behind it. */
  public record Entry(Incident incident, Throwable thrown) {}

  private final ConcurrentLinkedQueue<Entry> incidents = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Entry> writerFailures = new ConcurrentLinkedQueue<>();

  @Override
  public void incident(Incident incident, Throwable thrown) {
    incidents.add(new Entry(incident, thrown));
  }

  @Override
  public void problemWriterFailed(Incident incident, Throwable failure) {
    writerFailures.add(new Entry(incident, failure));
  }

  public List<Entry> incidents() {
    return List.copyOf(incidents);
  }

  public List<Entry> writerFailures() {
    return List.copyOf(writerFailures);
  }

  /** The logged incidents with this id (a test expects exactly one). */
  public List<Incident> withId(String id) {
    return incidents.stream()
        .map(Entry::incident)
        .filter(i -> i.id().equals(id))
        .collect(Collectors.toList());
  }
}
