package dev.brownout.core.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in annotations and config: {@code 250ms}, {@code 30s}, {@code 2m},
 * {@code 1h}, {@code 500us}, {@code 100ns}, or ISO-8601 ({@code PT0.25S}). Read by the runtime's
 * configuration, the switch syntax and the processor (which checks an annotation's duration at
 * compile time and writes the parsed value into the generated code, so generated code never needs
 * this class).
 */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; an invalid one fails with the setting's name and the text. */
  public static Duration parse(String setting, String text) {
    if (text == null || text.isBlank()) {
      throw Settings.invalid(
          setting,
          text == null ? null : "'" + text + "'",
          "must be a duration such as 250ms, 30s or PT0.25S");
    }
    String trimmed = text.trim();
    Matcher simple = SIMPLE.matcher(trimmed);
    try {
      if (simple.matches()) {
        long amount = Long.parseLong(simple.group(1));
        return switch (simple.group(2)) {
          case "ns" -> Duration.ofNanos(amount);
          case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
      return Duration.parse(trimmed);
    } catch (DateTimeParseException | ArithmeticException e) {
      throw Settings.invalid(
          setting, "'" + text + "'", "must be a duration such as 250ms, 30s or PT0.25S");
    }
  }
}
