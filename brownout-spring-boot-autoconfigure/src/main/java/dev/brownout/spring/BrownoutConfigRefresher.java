package dev.brownout.spring;

/**
 * Applies switch properties that changed after startup. Spring Boot alone never changes its
 * environment once the context runs. With Spring Cloud Context, its {@code EnvironmentChangeEvent}
 * calls {@link #refreshSwitches()} by itself when a switch key changed; an application that changes
 * its environment otherwise (a property source of its own) calls it afterwards.
 *
 * <p>Only switches are re-read: a guard is immutable once built, so {@code brownout.guard.*} keys
 * take effect at the next start.
 */
public final class BrownoutConfigRefresher {

  private final PropertySwitchSource switches;

  BrownoutConfigRefresher(PropertySwitchSource switches) {
    this.switches = switches;
  }

  /**
   * Reads every {@code brownout.features.<feature>} property again and applies them as one change:
   * a feature whose property is gone falls back to its next setting.
   *
   * @throws IllegalArgumentException if a value is not a switch, naming the key; nothing is applied
   */
  public void refreshSwitches() {
    switches.reload();
  }
}
