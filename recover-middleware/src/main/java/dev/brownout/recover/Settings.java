package dev.brownout.recover;

/** Validation of configuration values; every message names the setting and the rejected value. */
final class Settings {

  private Settings() {}

  static IllegalArgumentException invalid(String setting, Object value, String rule) {
    return new IllegalArgumentException(setting + " " + rule + ", but was " + value);
  }

  static <T> T notNull(String setting, T value) {
    if (value == null) {
      throw invalid(setting, null, "must not be null");
    }
    return value;
  }

  static String name(String setting, String value) {
    if (value == null || value.isBlank()) {
      throw invalid(setting, value == null ? null : "'" + value + "'", "must be a non-blank name");
    }
    return value;
  }

  static int positive(String setting, int value) {
    if (value < 1) {
      throw invalid(setting, value, "must be at least 1");
    }
    return value;
  }

  /** An HTTP field name: a non-empty RFC 9110 token. */
  static String headerName(String setting, String value) {
    if (value == null || value.isEmpty() || !value.chars().allMatch(Settings::isTokenChar)) {
      throw invalid(setting, value == null ? null : "'" + LogSafe.neutralise(value) + "'", "must be an HTTP header name (letters, digits, !#$%&'*+-.^_`|~)");
    }
    return value;
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
