package dev.brownout.core;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link ConfigSource#environment()}: a key is read from its variable name ({@link
 * ConfigSource#environmentName}), and a variable is listed as its name lower-cased with {@code _}
 * turned into {@code .}. A variable name cannot be turned back into the key (case and the original
 * separators are gone), so the runtime compares a listed key with the keys it knows by their
 * variable names ({@link ConfigKeys}).
 */
final class EnvironmentConfig implements ConfigSource {

  private final Map<String, String> variables;
  private final String description;

  EnvironmentConfig(Map<String, String> variables, String description) {
    this.variables = variables;
    this.description = description;
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(variables.get(ConfigSource.environmentName(key)));
  }

  @Override
  public Set<String> keys(String prefix) {
    String start = ConfigSource.environmentName(prefix);
    Set<String> keys = new TreeSet<>();
    for (String name : variables.keySet()) {
      if (name.startsWith(start)) {
        keys.add(name.toLowerCase(Locale.ROOT).replace('_', '.'));
      }
    }
    return keys;
  }

  @Override
  public String describe() {
    return description;
  }
}
