package dev.brownout.degradation;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Where a {@link SwitchSource} delivers what it read. Thread-safe. */
public interface SwitchSink {

  /**
   * The source's complete state: every feature it sets, by name. Applied as one change: features
   * whose switch differs from the source's last delivery are set, features it no longer names fall
   * back to their next setting (see {@link Features}). A bad feature name fails the whole delivery,
   * so nothing of it is applied.
   */
  void replaceAll(Map<String, Switch> switches);

  /** One change from a source that sends changes one by one. */
  void set(String feature, Switch setting);

  /**
   * Changes from a source that orders them itself (a shared store), applied as one change and
   * recorded in the audit with the {@code origins} of each feature (the instance that made it), or
   * the source's name where none is given; the changes are counted under the source's name. Unlike
   * {@link #replaceAll}, features it does not name keep their switch; unlike {@link #set}, nothing
   * is offered back to other sources. A switch equal to the feature's current one changes nothing,
   * and an OFF whose {@link Switch#until()} has passed ends on arrival as if it had expired here,
   * so a late delivery neither repeats nor revives a change.
   */
  default void setAll(Map<String, Switch> changes, Map<String, String> origins) {
    changes.forEach(this::set);
  }

  /** Reports that the source could not be read; logged and counted, the last good state stays. */
  void failed(String problem, @Nullable Throwable cause);
}
