package dev.brownout.core;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@link ConfigSource#or}: the first source, then the fallback for keys the first lacks. */
final class ConfigChain implements ConfigSource {

  final ConfigSource first;
  final ConfigSource fallback;

  ConfigChain(ConfigSource first, ConfigSource fallback) {
    this.first = first;
    this.fallback = fallback;
  }

  @Override
  public Optional<String> get(String key) {
    Optional<String> value = first.get(key);
    return value.isPresent() ? value : fallback.get(key);
  }

  @Override
  public Set<String> keys(String prefix) {
    Set<String> keys = new TreeSet<>(first.keys(prefix));
    keys.addAll(fallback.keys(prefix));
    return keys;
  }

  @Override
  public String describe() {
    return first.describe() + ", then " + fallback.describe();
  }
}
