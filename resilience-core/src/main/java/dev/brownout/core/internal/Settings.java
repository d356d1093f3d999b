package dev.brownout.core.internal;

import java.time.Duration;

/**
 * Validation of configuration values, shared by every Brownout module so that every message has one
 * shape: it names the setting and the rejected value, e.g. {@code bulkhead.maxConcurrentCalls must
 * be at least 1, but was 0}. Not API: it is here for the Brownout modules, which the module
 * descriptor alone lets read it.
 */
public final class Settings {

  private Settings() {}

  public static IllegalArgumentException invalid(String setting, Object value, String rule) {
    return new IllegalArgumentException(setting + " " + rule + ", but was " + value);
  }

  public static int positive(String setting, int value) {
    if (value < 1) {
      throw invalid(setting, value, "must be at least 1");
    }
    return value;
  }

  public static int atMost(String setting, int value, int maximum) {
    if (value > maximum) {
      throw invalid(setting, value, "must be at most " + maximum);
    }
    return value;
  }

  public static int atLeast(String setting, int value, int minimum) {
    if (value < minimum) {
      throw invalid(setting, value, "must be at least " + minimum);
    }
    return value;
  }

  public static float percentage(String setting, float value) {
    if (!(value > 0f && value <= 100f)) {
      throw invalid(setting, value, "must be a percentage in (0, 100]");
    }
    return value;
  }

  public static double ratio(String setting, double value) {
    if (!(value >= 0d && value <= 1d)) {
      throw invalid(setting, value, "must be a ratio in [0, 1]");
    }
    return value;
  }

  public static Duration positive(String setting, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(setting, value, "must be a positive duration");
    }
    return value;
  }

  public static Duration notNegative(String setting, Duration value) {
    if (value == null || value.isNegative()) {
      throw invalid(setting, value, "must be zero or a positive duration");
    }
    return value;
  }

  public static <T> T notNull(String setting, T value) {
    if (value == null) {
      throw invalid(setting, null, "must not be null");
    }
    return value;
  }

  public static String name(String setting, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(setting, value == null ? null : "'" + value + "'", "must be a non-blank name");
    }
    return value;
  }
}
