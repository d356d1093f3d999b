package dev.brownout.degradation;

import java.util.List;

/**
 * Hears the changes of one {@link Features}: the entries its audit history records, delivered once
 * per change, so that a view or a bridge (an admin page, an OpenFeature provider) follows the
 * switches without polling.
 *
 * <pre>{@code
 * features.addListener(changes -> changes.forEach(change -> log.info("{}", change)));
 * }</pre>
 *
 * <p>A listener runs on the thread that made the change (an API call, a source's delivery, the
 * refresh thread), under the lock of the features, after the change is published: {@link
 * Feature#state()} already answers the new state, and the changes reach each listener in the order
 * they were made. So keep it short and never block in it; hand longer work to an executor. A
 * listener that throws is logged and skipped; the change stands.
 */
@FunctionalInterface
public interface SwitchListener {

  /**
   * The entries one change recorded, in order: a feature whose setting or effect changed, and first
   * the level ({@value Features#LEVEL}) when the change moved it.
   */
  void onChanges(List<SwitchChange> changes);
}
