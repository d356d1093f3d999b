package dev.brownout.degradation.redis;

import dev.brownout.core.internal.LogText;
import dev.brownout.degradation.FeatureName;
import dev.brownout.degradation.Switch;

/**
 * One feature's switch as Redis holds it: {@code <version> <instance> <switch text>}, for example
 * {@code 42 checkout-7f9c OFF by=alice until=2026-11-25T18:00:00Z reason=store is down}. The text
 * is what {@link Switch#parse} reads, so an operator can read (and, in an emergency, write) it with
 * {@code redis-cli}. A change announced on the channel is the feature's name, a space, and the
 * record.
 *
 * <p>A version is a whole number from 1 to {@link #MAX_VERSION}, written in plain decimal digits:
 * the largest that the write script, whose Lua numbers are doubles, holds exactly. A record outside
 * that range is malformed, not read as some other number.
 *
 * @param version the place of this write in the order Redis gave it (higher is newer, per feature)
 * @param instance the instance that wrote it
 * @param setting the switch
 */
record SwitchRecord(long version, String instance, Switch setting) {

  /**
   * The largest version, 2^53 − 1: above it a Lua number (a double) no longer holds every whole
   * number.
   */
  static final long MAX_VERSION = (1L << 53) - 1;

  /** A value that is not a record; the message names what was wrong. */
  static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /** Reads a record from the hash, as written by {@link #toString()}. */
  static SwitchRecord parse(String text) throws MalformedException {
    String[] parts = text.strip().split(" ", 3);
    if (parts.length < 3) {
      throw new MalformedException("expected '<version> <instance> <switch>'");
    }
    long version = parseVersion(parts[0]);
    try {
      return new SwitchRecord(version, parts[1], Switch.parse(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new MalformedException(e.getMessage());
    }
  }

  /** Reads a version: decimal digits without a leading zero, from 1 to {@link #MAX_VERSION}. */
  static long parseVersion(String text) throws MalformedException {
    boolean digits =
        !text.isEmpty()
            && text.length() <= 16
            && text.charAt(0) != '0'
            && text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || Long.parseLong(text) > MAX_VERSION) {
      throw new MalformedException(
          "the version '" + LogText.of(text) + "' is not a whole number from 1 to " + MAX_VERSION);
    }
    return Long.parseLong(text);
  }

  /** Reads a change from the channel: the feature's name, then its record. */
  static Change parseChange(String text) throws MalformedException {
    int space = text.indexOf(' ');
    if (space <= 0) {
      throw new MalformedException("expected '<feature> <version> <instance> <switch>'");
    }
    String feature = checkName(text.substring(0, space));
    return new Change(feature, parse(text.substring(space + 1)));
  }

  /** {@code name} if it is a feature name. */
  static String checkName(String name) throws MalformedException {
    try {
      return FeatureName.of(name).toString();
    } catch (IllegalArgumentException e) {
      throw new MalformedException(e.getMessage());
    }
  }

  /** The text Redis holds. */
  @Override
  public String toString() {
    return version + " " + instance + " " + setting;
  }

  /** A record announced on the channel for one feature. */
  record Change(String feature, SwitchRecord record) {}
}
