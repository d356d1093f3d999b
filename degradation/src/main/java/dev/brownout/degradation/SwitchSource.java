package dev.brownout.degradation;

/**
 * Somewhere switches are set outside the code: a file mounted from a config map, a shared store.
 * Implement this to plug in another; {@link FileSwitchSource} is the one that ships.
 */
public interface SwitchSource extends AutoCloseable {

  /** The name recorded as the source of its changes in the audit, logs and metrics. */
  String name();

  /**
   * Delivers the current state to {@code sink} (before returning) and keeps {@code sink} for later.
   */
  void start(SwitchSink sink) throws Exception;

  /**
   * Offered every change made through {@link Features#set} on this instance (not those this source
   * delivered itself), so that a shared store can pass it on to the other instances. The change is
   * already in force here; an exception is logged and counted, and the change stays local. An
   * expiring switch arrives with the instant it ends ({@link Switch#until()}), so it ends at the
   * same moment everywhere.
   */
  default void write(String feature, Switch setting) throws Exception {}

  /** Called on every refresh, for sources that look for changes rather than being told. */
  default void poll() throws Exception {}

  @Override
  default void close() {}
}
