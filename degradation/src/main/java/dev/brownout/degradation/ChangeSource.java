package dev.brownout.degradation;

/**
 * What made a change of a switch, an effect or the brownout level. The {@link Kind} is what the
 * code decides by; the name is only text: the {@code source} of a {@link SwitchChange}, of a log
 * line, and the {@code source} tag of {@code brownout.feature.changes}.
 *
 * @param kind who acted
 * @param name how the audit names it: {@code api} or the name an admin endpoint gave, a switch
 *     source's name, or the fixed names of the other kinds
 */
record ChangeSource(Kind kind, String name) {

  /** Who acted. */
  enum Kind {
    /** A feature's definition or creation: its initial setting. */
    DEFINITION,
    /** An operator through {@link Features#set}. */
    API,
    /** A switch source: a file, a shared store. */
    SOURCE,
    /** A setting whose time ran out. */
    EXPIRY,
    /** A trigger of an AUTO feature that started or stopped firing. */
    AUTO,
    /** The brownout level, set by hand. */
    LEVEL,
    /** The brownout level, moved by the {@link LevelController}. */
    CONTROLLER
  }

  static final ChangeSource DEFINITION = new ChangeSource(Kind.DEFINITION, "default");
  static final ChangeSource API = new ChangeSource(Kind.API, "api");
  static final ChangeSource EXPIRY = new ChangeSource(Kind.EXPIRY, "expiry");
  static final ChangeSource AUTO = new ChangeSource(Kind.AUTO, "auto");
  static final ChangeSource LEVEL = new ChangeSource(Kind.LEVEL, "level");
  static final ChangeSource CONTROLLER = new ChangeSource(Kind.CONTROLLER, "controller");

  /** An operator's action through {@link Features#set}, named {@code name} in the audit. */
  static ChangeSource api(String name) {
    return new ChangeSource(Kind.API, name);
  }

  /** A switch source's delivery, named by the source. */
  static ChangeSource source(String name) {
    return new ChangeSource(Kind.SOURCE, name);
  }

  @Override
  public String toString() {
    return name;
  }
}
