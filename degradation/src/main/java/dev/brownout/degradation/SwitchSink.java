package dev.brownout.degradation;

import java.util.Map;

/** Where a {@link SwitchSource} delivers what it read. Thread-safe. */
public interface SwitchSink {

  /**
   * The source's complete state: every feature it sets, by name. Applied as one change: features whose
   * switch differs from the source's last delivery are set, features it no longer names return to ON.
   * A bad feature name fails the whole delivery, so nothing of it is applied.
   */
  void replaceAll(Map<String, Switch> switches);

  /** One change from a source that sends changes one by one. */
  void set(String feature, Switch setting);

  /** Reports that the source could not be read; logged and counted, the last good state stays. */
  void failed(String problem, Throwable cause);
}
