package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where a runtime reads settings that override what the code says, so an operator can retune a
 * guard without a release: keys look like {@code brownout.guard.<guard>.<policy>.<attribute>}.
 *
 * <pre>{@code
 * Brownout brownout = Brownout.builder()
 *     .config(ConfigSource.systemProperties().or(ConfigSource.environment()))
 *     .build();
 * }</pre>
 *
 * <p>Every source can list its keys, so a key under {@code brownout.guard.} or {@code
 * brownout.defaults.} that no guard understands is reported instead of silently ignored (see {@link
 * Brownout#checkConfig()}).
 */
public interface ConfigSource {

  /** The value of {@code key}, if this source has one. */
  Optional<String> get(String key);

  /** The keys this source has that start with {@code prefix}. */
  Set<String> keys(String prefix);

  /** A short description for error messages ("system properties", a file name). */
  String describe();

  /** This source, then {@code fallback} for keys this one lacks. */
  default ConfigSource or(ConfigSource fallback) {
    return new ConfigChain(this, Settings.notNull("config.fallback", fallback));
  }

  /** No settings at all: what the code says is what runs. */
  static ConfigSource none() {
    return of(Map.of(), "no configuration");
  }

  /** Fixed settings, e.g. for tests. */
  static ConfigSource of(Map<String, String> settings, String description) {
    Map<String, String> copy = new TreeMap<>(settings);
    return new ConfigSource() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(copy.get(key));
      }

      @Override
      public Set<String> keys(String prefix) {
        Set<String> keys = new TreeSet<>();
        for (String key : copy.keySet()) {
          if (key.startsWith(prefix)) {
            keys.add(key);
          }
        }
        return keys;
      }

      @Override
      public String describe() {
        return description;
      }
    };
  }

  /** The JVM's system properties, read when asked ({@code -Dbrownout.guard...}). */
  static ConfigSource systemProperties() {
    return new ConfigSource() {
      @Override
      public Optional<String> get(String key) {
        return Optional.ofNullable(System.getProperty(key));
      }

      @Override
      public Set<String> keys(String prefix) {
        Set<String> keys = new TreeSet<>();
        for (String key : System.getProperties().stringPropertyNames()) {
          if (key.startsWith(prefix)) {
            keys.add(key);
          }
        }
        return keys;
      }

      @Override
      public String describe() {
        return "system properties";
      }
    };
  }

  /**
   * The process environment, with keys upper-cased and every character that is not a letter or
   * digit turned into {@code _}: {@code brownout.guard.Orders.place.timeout.duration} is read from
   * {@code BROWNOUT_GUARD_ORDERS_PLACE_TIMEOUT_DURATION}. Its keys are listed lower-cased with
   * {@code _} turned into {@code .} ({@code brownout.guard.orders.place.timeout.duration}), and the
   * runtime compares them with the keys it knows by their variable names, so a misspelt variable is
   * reported like any other key.
   */
  static ConfigSource environment() {
    return new EnvironmentConfig(System.getenv(), "environment");
  }

  /**
   * {@code variables} read the way {@link #environment()} reads the process environment: for a
   * container's env file, or a test.
   */
  static ConfigSource environment(Map<String, String> variables, String description) {
    return new EnvironmentConfig(Map.copyOf(variables), description);
  }

  /** The environment variable name for {@code key}. */
  static String environmentName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** A properties file, read once now; a file that cannot be read fails here, naming the file. */
  static ConfigSource properties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "brownout config file " + file + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> settings = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      settings.put(key, properties.getProperty(key));
    }
    return of(settings, file.toString());
  }
}
