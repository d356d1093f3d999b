package dev.brownout.core;

import org.jspecify.annotations.Nullable;

/**
 * A config compared by its {@link ConfigValues}: equal to another of its class with equal settings,
 * and printed as its settings. The runtime relies on it to hand back the part already registered
 * under a name when the same config is given again.
 */
abstract class ValueConfig {

  ValueConfig() {}

  /** The settings, by name, in a fixed order. */
  abstract ConfigValues values();

  @Override
  public final boolean equals(@Nullable Object other) {
    return other instanceof ValueConfig that
        && that.getClass() == getClass()
        && that.values().equals(values());
  }

  @Override
  public final int hashCode() {
    return values().hashCode();
  }

  @Override
  public final String toString() {
    return values().toString();
  }
}
