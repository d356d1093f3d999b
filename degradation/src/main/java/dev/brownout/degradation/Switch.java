package dev.brownout.degradation;

import dev.brownout.core.internal.Durations;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The setting of one feature's switch, as an operator states it: ON, OFF (with a reason, who set it
 * and an optional expiry), a sticky ROLLOUT to a share of keys, or AUTO (off while one of the
 * feature's triggers fires). Immutable; the same value is written by code, files and admin
 * endpoints in the text form of {@link #parse} and {@link #toString}.
 *
 * <pre>{@code
 * features.set("feed.recommendations",
 *     Switch.off("recommendation store is down").by("alice").lasting(Duration.ofMinutes(30)));
 * features.set("feed.avatars", Switch.parse("ROLLOUT 25%"));
 * }</pre>
 */
public final class Switch {

  /** What the switch does. */
  public enum Kind {
    /** The feature is on (unless a parent or the brownout level turns it off). */
    ON,
    /** The feature is off: degraded. */
    OFF,
    /** The feature is on for a fixed share of keys, the same keys every time. */
    ROLLOUT,
    /** The feature is off while one of its triggers fires, on otherwise. */
    AUTO
  }

  private static final Switch ON = new Switch(Kind.ON, 100.0, null, null, null, null);
  private static final Switch AUTO = new Switch(Kind.AUTO, 100.0, null, null, null, null);
  private static final int MAX_TEXT = 500;

  /**
   * A share in decimal digits, with an optional fraction and '%' ({@link #rollout} checks its
   * range).
   */
  private static final Pattern SHARE = Pattern.compile("\\d+(\\.\\d+)?%?");

  /**
   * The expiries a switch may have. They keep every expiry within reach of the runtime's nanosecond
   * clock (about 292 years either side of now), so that setting or expiring a switch never
   * overflows; an expiry is a validity of the switch itself, decided when it is made, never when it
   * is applied.
   */
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");
  private static final Duration LONGEST = Duration.ofDays(36_500);

  private final Kind kind;
  private final double percent;
  private final String reason;
  private final String by;
  private final Instant until;
  private final Duration lasting;

  private Switch(
      Kind kind, double percent, String reason, String by, Instant until, Duration lasting) {
    this.kind = kind;
    this.percent = percent;
    this.reason = reason;
    this.by = by;
    this.until = until;
    this.lasting = lasting;
  }

  /** The feature is on. */
  public static Switch on() {
    return ON;
  }

  /** The feature is off, for {@code reason} (shown in the audit, the admin view and fallbacks). */
  public static Switch off(String reason) {
    return new Switch(Kind.OFF, 0.0, text("switch.reason", reason), null, null, null);
  }

  /**
   * The feature is on for {@code percent} % of keys (0 to 100, two decimals at most). A key keeps
   * its answer: the same user is in or out on every call, on every instance.
   */
  public static Switch rollout(double percent) {
    double hundredths = Math.rint(percent * 100.0);
    if (!(percent >= 0.0 && percent <= 100.0) || Math.abs(hundredths - percent * 100.0) > 1e-6) {
      throw Settings.invalid(
          "switch.rollout",
          percent,
          "must be a percentage from 0 to 100 with at most two decimals");
    }
    // + 0.0 makes -0.0 the one zero share, which reads back from its text form.
    return new Switch(Kind.ROLLOUT, hundredths / 100.0 + 0.0, null, null, null, null);
  }

  /** The feature follows its triggers: off while one fires, on again once all have cleared. */
  public static Switch auto() {
    return AUTO;
  }

  /** The same switch, recording who set it (one word: a user or service name). */
  public Switch by(String who) {
    String name = text("switch.by", who);
    if (name.chars().anyMatch(Character::isWhitespace)) {
      throw Settings.invalid(
          "switch.by", "'" + who + "'", "must be one word, such as a user or service name");
    }
    return new Switch(kind, percent, reason, name, until, lasting);
  }

  /** The same switch with a reason (any kind of switch may say why it was set). */
  public Switch because(String why) {
    return new Switch(kind, percent, text("switch.reason", why), by, until, lasting);
  }

  /**
   * An OFF switch that ends by itself at {@code instant} (from 1970-01-01T00:00:00Z to
   * 2200-01-01T00:00:00Z); the feature then falls back to its next setting.
   */
  public Switch until(Instant instant) {
    requireOff("switch.until");
    Settings.notNull("switch.until", instant);
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw Settings.invalid(
          "switch.until",
          instant,
          "must be from "
              + EARLIEST
              + " to "
              + LATEST
              + "; leave it out for a switch that does not expire");
    }
    return new Switch(kind, percent, reason, by, instant, null);
  }

  /**
   * An OFF switch that ends by itself {@code duration} after it is set (at most 36500 days); the
   * feature then falls back to its next setting.
   */
  public Switch lasting(Duration duration) {
    requireOff("switch.lasting");
    Settings.positive("switch.lasting", duration);
    if (duration.compareTo(LONGEST) > 0) {
      throw Settings.invalid(
          "switch.lasting",
          duration,
          "must be at most "
              + LONGEST.toDays()
              + " days; leave it out for a switch that does not expire");
    }
    return new Switch(kind, percent, reason, by, null, duration);
  }

  /**
   * Reads the text form: the kind, then optional attributes, the reason last because it runs to the
   * end: {@code ON}, {@code AUTO}, {@code ROLLOUT 25%}, {@code OFF by=alice for=30m reason=store is
   * down}, {@code OFF until=2026-11-25T18:00:00Z}. Anything else fails with a message that quotes
   * the text.
   */
  public static Switch parse(String text) {
    Settings.notNull("switch", text);
    String rest = text.strip();
    int space = rest.indexOf(' ');
    String head = (space < 0 ? rest : rest.substring(0, space)).toUpperCase(Locale.ROOT);
    rest = space < 0 ? "" : rest.substring(space + 1).strip();
    Switch parsed;
    switch (head) {
      case "ON" -> parsed = on();
      case "AUTO" -> parsed = auto();
      case "OFF" -> parsed = new Switch(Kind.OFF, 0.0, null, null, null, null);
      case "ROLLOUT" -> {
        int end = rest.indexOf(' ');
        String share = end < 0 ? rest : rest.substring(0, end);
        rest = end < 0 ? "" : rest.substring(end + 1).strip();
        if (!SHARE.matcher(share).matches()) {
          throw Settings.invalid(
              "switch",
              "'" + text + "'",
              "ROLLOUT needs a percentage in decimal digits such as ROLLOUT 25% or ROLLOUT 2.5%");
        }
        parsed =
            rollout(
                Double.parseDouble(
                    share.endsWith("%") ? share.substring(0, share.length() - 1) : share));
      }
      default ->
          throw Settings.invalid(
              "switch", "'" + text + "'", "must start with ON, OFF, ROLLOUT <percent> or AUTO");
    }
    Set<String> seen = new HashSet<>();
    while (!rest.isEmpty()) {
      int equals = rest.indexOf('=');
      int space2 = rest.indexOf(' ');
      if (equals < 0 || (space2 >= 0 && space2 < equals)) {
        throw Settings.invalid(
            "switch", "'" + text + "'", "attributes must be name=value (by, for, until, reason)");
      }
      String name = rest.substring(0, equals);
      if (!seen.add(name.equals("until") ? "for" : name)) {
        throw Settings.invalid(
            "switch",
            "'" + text + "'",
            "gives '" + name + "' twice, or both for and until; give each attribute once");
      }
      if (name.equals("reason")) {
        parsed = parsed.because(rest.substring(equals + 1).strip());
        break;
      }
      int end = rest.indexOf(' ', equals);
      String value = end < 0 ? rest.substring(equals + 1) : rest.substring(equals + 1, end);
      rest = end < 0 ? "" : rest.substring(end + 1).strip();
      switch (name) {
        case "by" -> parsed = parsed.by(value);
        case "for" -> parsed = parsed.lasting(lasting(value));
        case "until" -> {
          try {
            parsed = parsed.until(Instant.parse(value));
          } catch (DateTimeParseException e) {
            throw Settings.invalid(
                "switch.until",
                "'" + value + "'",
                "must be an instant such as 2026-11-25T18:00:00Z");
          }
        }
        default ->
            throw Settings.invalid(
                "switch",
                "'" + text + "'",
                "has an unknown attribute '" + name + "' (known: by, for, until, reason)");
      }
    }
    return parsed;
  }

  private static Duration lasting(String value) {
    try {
      return Durations.parse("switch.for", value);
    } catch (NumberFormatException e) {
      throw Settings.invalid(
          "switch.for", "'" + value + "'", "must be a duration such as 30m, 2h or PT30M");
    }
  }

  /** What the switch does. */
  public Kind kind() {
    return kind;
  }

  /** The share of keys a ROLLOUT admits, in percent; 100 for ON and AUTO, 0 for OFF. */
  public double percent() {
    return percent;
  }

  /** Why the switch was set, or null. */
  public @Nullable String reason() {
    return reason;
  }

  /** Who set the switch, or null. */
  public @Nullable String by() {
    return by;
  }

  /** When an OFF switch set with {@link #until} returns to ON, or null. */
  public @Nullable Instant until() {
    return until;
  }

  /** How long an OFF switch set with {@link #lasting} stays off once set, or null. */
  public @Nullable Duration lasting() {
    return lasting;
  }

  /** This switch as set at {@code now}: a {@link #lasting} expiry becomes the instant it ends. */
  Switch fixedAt(Instant now) {
    return lasting == null ? this : new Switch(kind, percent, reason, by, now.plus(lasting), null);
  }

  private void requireOff(String setting) {
    if (kind != Kind.OFF) {
      throw Settings.invalid(
          setting, kind, "applies only to an OFF switch (an expiring switch returns to ON)");
    }
  }

  private static String text(String setting, String value) {
    Settings.notNull(setting, value);
    if (value.isBlank()
        || value.length() > MAX_TEXT
        || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0) {
      throw Settings.invalid(
          setting,
          "'" + value + "'",
          "must be one non-blank line of at most " + MAX_TEXT + " characters");
    }
    return value.strip();
  }

  /** The text form, which {@link #parse} reads back to an equal switch. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(kind.name());
    if (kind == Kind.ROLLOUT) {
      text.append(' ')
          .append(
              percent == Math.rint(percent)
                  ? String.valueOf((long) percent)
                  : String.valueOf(percent))
          .append('%');
    }
    if (by != null) {
      text.append(" by=").append(by);
    }
    if (lasting != null) {
      text.append(" for=").append(lasting);
    }
    if (until != null) {
      text.append(" until=").append(until);
    }
    if (reason != null) {
      text.append(" reason=").append(reason);
    }
    return text.toString();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof Switch that
        && kind == that.kind
        && Double.compare(percent, that.percent) == 0
        && Objects.equals(reason, that.reason)
        && Objects.equals(by, that.by)
        && Objects.equals(until, that.until)
        && Objects.equals(lasting, that.lasting);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, percent, reason, by, until, lasting);
  }
}
