package dev.brownout.degradation.redis;

import dev.brownout.degradation.FeatureName;
import dev.brownout.degradation.Switch;

/**
 * One feature's switch as Redis holds it: {@code <version> <instance> <switch text>}, for example
 * {@code 42 checkout-7f9c OFF by=alice until=2026-11-25T18:00:00Z reason=store is down}. The text is
 * what {@link Switch#parse} reads, so an operator can read (and, in an emergency, write) it with
 * {@code redis-cli}. A change announced on the channel is the feature's name, a space, and the record.
 *
 * @param version the place of this write in the order Redis gave it (higher is newer, per feature)
 * @param instance the instance that wrote it
 * @param setting the switch
 */
record SwitchRecord(long version, String instance, Switch setting) {

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
    long version;
    try {
      version = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      throw new MalformedException("the version '" + parts[0] + "' is not a whole number");
    }
    if (version <= 0) {
      throw new MalformedException("the version " + version + " is not positive");
    }
    try {
      return new SwitchRecord(version, parts[1], Switch.parse(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new MalformedException(e.getMessage());
    }
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
