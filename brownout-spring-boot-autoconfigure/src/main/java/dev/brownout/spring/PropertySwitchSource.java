package dev.brownout.spring;

import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Switches set in the application's properties or YAML: {@code brownout.features.<feature>} holds
 * the feature's switch in its text form ({@link Switch#parse}), for example {@code
 * brownout.features.feed.recommendations=OFF reason=store is down}.
 *
 * <p>The keys the features read as their own settings ({@code brownout.features.refresh}, {@code
 * history} and {@code sourceTimeout}) are not switches. The properties are read when the source
 * starts and again on {@link #reload()}; a value that does not parse fails there, naming the key
 * and the value, and nothing of that read is applied.
 */
final class PropertySwitchSource implements SwitchSource {

  static final String PREFIX = "brownout.features.";

  /**
   * Settings of the features themselves, under the same prefix, lower-cased: the environment lists
   * {@code BROWNOUT_FEATURES_SOURCETIMEOUT} as {@code brownout.features.sourcetimeout}.
   */
  private static final Set<String> SETTINGS =
      Set.of(PREFIX + "refresh", PREFIX + "history", PREFIX + "sourcetimeout");

  private final ConfigSource config;
  private volatile @Nullable SwitchSink sink;

  PropertySwitchSource(ConfigSource config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "spring-properties";
  }

  @Override
  public void start(SwitchSink target) {
    Map<String, Switch> switches = read();
    sink = target;
    target.replaceAll(switches);
  }

  /**
   * Reads the properties again and applies them as the source's whole state: a feature no longer
   * named falls back to its next setting.
   *
   * @throws IllegalArgumentException if a value is not a switch, naming the key; nothing is applied
   */
  void reload() {
    SwitchSink target = sink;
    Map<String, Switch> switches = read();
    if (target != null) {
      target.replaceAll(switches);
    }
  }

  /**
   * Every switch the properties set, by feature.
   *
   * @throws IllegalArgumentException if a value is not a switch, naming the key and the value
   */
  Map<String, Switch> read() {
    Map<String, Switch> switches = new LinkedHashMap<>();
    for (String key : config.keys(PREFIX)) {
      if (SETTINGS.contains(key.toLowerCase(Locale.ROOT))) {
        continue;
      }
      String value = config.get(key).orElse("");
      try {
        switches.put(key.substring(PREFIX.length()), Switch.parse(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            key
                + " = "
                + value
                + " (from "
                + config.describe()
                + ") is not a switch: "
                + e.getMessage(),
            e);
      }
    }
    return switches;
  }

  @Override
  public String toString() {
    return name();
  }
}
