package dev.brownout.recover;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The counter {@code brownout.recover.incidents} (tags {@code place}, {@code exception}) on every
 * registry the recovery core is bound to.
 *
 * <p>Incidents are rare, so each one looks its counter up in the registry instead of caching
 * meters: that way two recovery cores bound to one registry add to the same counter rather than
 * hide each other's counts. The place tag is capped: a place-naming function that lets raw paths
 * through would otherwise grow one time series per URL, so places past the cap are counted as
 * {@code "other"} (their log lines keep the real place).
 */
final class IncidentMeters {

  static final String NAME = "brownout.recover.incidents";
  static final String OTHER_PLACE = "other";

  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  /** The same registries by identity, to bind each once; guarded by {@code this}. */
  private final Set<MeterRegistry> bound = Collections.newSetFromMap(new IdentityHashMap<>());

  private final Set<String> places = ConcurrentHashMap.newKeySet();
  private final int maxPlaces;

  IncidentMeters(int maxPlaces) {
    this.maxPlaces = maxPlaces;
  }

  synchronized void bindTo(MeterRegistry registry) {
    if (bound.add(registry)) {
      registries.add(registry);
    }
  }

  void count(Incident incident) {
    if (registries.isEmpty()) {
      return;
    }
    String place = placeTag(incident.place());
    for (MeterRegistry registry : registries) {
      try {
        Counter.builder(NAME)
            .description(
                "Crashes recovered (or recorded) by Brownout, by place and throwable class")
            .tags("place", place, "exception", incident.throwableClass())
            .register(registry)
            .increment();
      } catch (RuntimeException refused) {
        // A registry that refuses the meter (a filter, a naming clash) must not break the recovery.
      }
    }
  }

  /**
   * The place, or "other" once {@code maxPlaces} distinct places have been seen (approximately,
   * under races).
   */
  private String placeTag(String place) {
    if (places.contains(place)) {
      return place;
    }
    if (places.size() < maxPlaces) {
      places.add(place);
      return place;
    }
    return OTHER_PLACE;
  }
}
