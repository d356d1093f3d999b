package dev.brownout.degradation;

import dev.brownout.core.internal.LogText;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triggers of one feature and whether each fires, with since when. Guarded by the lock of its
 * {@link Features}; the triggers are read before the lock is taken (a reading may be slow or
 * throw), and {@link #update} only compares.
 */
final class TriggerStates {

  static final TriggerStates NONE = new TriggerStates(List.of());

  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  private final List<Trigger> triggers;
  private final boolean[] firing;
  private final long[] firingSince;

  TriggerStates(List<Trigger> triggers) {
    this.triggers = List.copyOf(triggers);
    this.firing = new boolean[triggers.size()];
    this.firingSince = new long[triggers.size()];
  }

  List<Trigger> triggers() {
    return triggers;
  }

  /**
   * Takes each trigger's reading at {@code now} (NaN, or none, counts as clear); returns whether
   * one started or stopped firing.
   */
  boolean update(Map<Trigger, Double> readings, long now) {
    boolean moved = false;
    for (int i = 0; i < triggers.size(); i++) {
      Double value = readings.get(triggers.get(i));
      double reading = value == null ? Double.NaN : value;
      boolean fires = triggers.get(i).fires(firing[i], reading, now - firingSince[i]);
      if (fires != firing[i]) {
        firing[i] = fires;
        firingSince[i] = now;
        moved = true;
      }
    }
    return moved;
  }

  /** The description of the first trigger that fires, or null if none does. */
  String firing() {
    for (int i = 0; i < triggers.size(); i++) {
      if (firing[i]) {
        return triggers.get(i).description();
      }
    }
    return null;
  }

  /** {@code trigger}'s reading; one that throws is logged and counts as clear. */
  static double read(Trigger trigger) {
    return readLogged("trigger", trigger, trigger::read, "; it counts as clear");
  }

  /**
   * {@code reading}'s value, or NaN (nothing to judge by) if it throws, which is logged naming the
   * {@code kind} of signal, the signal and the {@code consequence}: a signal never breaks a
   * refresh.
   */
  static double readLogged(String kind, Object signal, DoubleSupplier reading, String consequence) {
    try {
      return reading.getAsDouble();
    } catch (RuntimeException e) {
      LOG.warn(
          "{} '{}' could not be read{}{}",
          kind,
          LogText.of(signal),
          consequence,
          LogText.trailingTrace(e));
      return Double.NaN;
    }
  }
}
