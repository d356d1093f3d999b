package dev.brownout.degradation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings that stand for one feature, and which one of them is in force. Guarded by the lock
 * of its {@link Features}.
 */
final class SettingStack {

  /*
   * Precedence: who set a switch, not the order in which things happened
   *
   * A feature's switch can be set by its definition (initially(...)), by each switch source (a file,
   * a shared store) and through the API (Features.set, which admin endpoints call). A feature is
   * often defined after its switch was set: a Spring bean, a plugin or a code path that first runs
   * minutes after start-up defines it while the operator's OFF from a file has been standing all
   * along, and a file that has not changed is never delivered again. So the settings are kept by who
   * made them, not overwritten in arrival order:
   *
   *   1. An operator's setting (a source's or the API's) always wins over the definition's initial
   *      setting, whichever came first. The initial setting is in force only while no operator
   *      setting stands; a feature nobody defined has ON there.
   *   2. Among operators, the latest action wins: a switch source delivering a new or changed entry,
   *      or a call of Features.set. A source delivering an entry it delivered before is no action
   *      (an unchanged line of a file does not undo a later change made through the API).
   *   3. A source's setting stands for as long as the source names the feature; the API's stands
   *      until the next action on the feature replaces it. When the setting in force ends (its
   *      source withdraws it, or it expires), the feature falls back to the latest setting still
   *      standing, else to its initial setting; the audit says what ended and what is in force now.
   *
   * Why the latest action, and not a fixed rank such as "API over sources": whichever rank is fixed,
   * some operator's action would be silently ignored in an incident. With "API over file", an ON set
   * through the admin page last week would defeat the OFF an operator writes into the file today;
   * with "file over API", the admin page's kill switch would do nothing for a feature the file
   * names. The latest action is the one taken with today's knowledge, and every action takes effect.
   *
   * Why a source's setting stands under a later one and the API's does not: a source keeps asserting
   * its setting (the line is still in the file, the record is still in the shared store) and says
   * when it stops (the line goes), so it comes back when what covered it ends. Nothing ever
   * withdraws an action made through the API; left underneath, it would resurface whenever the
   * setting above it ended, long after anyone remembers it, and on one instance of a fleet only,
   * since the shared store has moved on.
   *
   * A source's entry equal to the setting in force changes nothing that anyone sees (the shared
   * store announcing back this instance's own write is the usual case): it stands beneath the
   * setting in force, which keeps its source and time, and it is no action that replaces the API's.
   *
   * A setting that has already ended when it arrives (an OFF whose until has passed, delivered late)
   * takes its source's place as if it had expired there: a late delivery never revives a switch.
   *
   * The stack holds a handful of settings at most (one per source, one from the API, the initial
   * one), so a list searched from the top is the simplest structure that works.
   */

  /** Who made a setting. */
  enum Maker {
    /** Nobody: a feature with no setting is ON. */
    NONE,
    /** The feature's definition: its initial setting. */
    DEFINITION,
    /** A switch source, the {@link Setting#owner}. */
    SOURCE,
    /** An action through {@link Features#set}. */
    API
  }

  /**
   * Whether {@code a} and {@code b} are the very same setting. By identity on purpose: an equal
   * setting made again is another action, with its own time and place in the order.
   */
  @SuppressWarnings("ReferenceEquality")
  static boolean same(Setting a, Setting b) {
    return a == b;
  }

  /**
   * One standing setting.
   *
   * @param maker who made it
   * @param owner the source that made it, for a source's setting (compared by identity: two sources
   *     may share a name)
   * @param raw the switch as delivered, which the source's next delivery is compared with
   * @param value the switch in force: a {@code for} expiry fixed to the instant it ends
   * @param origin what the audit and {@link FeatureState#source()} name as where it came from
   * @param since when it was made
   * @param expiresAt when it ends, or null
   * @param expiresAtTick {@code expiresAt} on the runtime's ticker
   */
  record Setting(
      Maker maker,
      Object owner,
      Switch raw,
      Switch value,
      String origin,
      Instant since,
      Instant expiresAt,
      long expiresAtTick) {

    boolean endedAt(long tick) {
      return expiresAt != null && tick - expiresAtTick >= 0;
    }

    @SuppressWarnings("ReferenceEquality")
    boolean isFrom(Object source) {
      return maker == Maker.SOURCE && owner == source;
    }
  }

  private final Setting nothing;

  /** The operators' settings, the one in force first. */
  private final List<Setting> operators = new ArrayList<>(2);

  private Setting initial;

  SettingStack(Instant created) {
    this.nothing =
        new Setting(Maker.NONE, null, Switch.on(), Switch.on(), "default", created, null, 0L);
  }

  /** The setting in force. */
  Setting inForce() {
    return !operators.isEmpty() ? operators.get(0) : initial != null ? initial : nothing;
  }

  /** The definition's initial setting: in force while no operator's setting stands. */
  void define(Setting setting, long now) {
    initial = setting.endedAt(now) ? null : setting;
  }

  /** An action through the API: it replaces the API's previous one and is in force from now. */
  void act(Setting setting, long now) {
    operators.removeIf(s -> s.maker() == Maker.API);
    if (!setting.endedAt(now)) {
      operators.add(0, setting);
    }
  }

  /**
   * A source's setting of the feature. Returns false if the source delivered the same switch
   * before, which is no action and changes nothing.
   */
  boolean deliver(Setting setting, long now) {
    for (int i = 0; i < operators.size(); i++) {
      if (operators.get(i).isFrom(setting.owner())) {
        if (operators.get(i).raw().equals(setting.raw())) {
          return false;
        }
        operators.remove(i);
        break;
      }
    }
    if (setting.endedAt(now)) {
      return true;
    }
    if (!operators.isEmpty() && operators.get(0).value().equals(setting.value())) {
      operators.add(1, setting);
    } else {
      operators.removeIf(s -> s.maker() == Maker.API);
      operators.add(0, setting);
    }
    return true;
  }

  /** The source no longer names the feature; returns whether it had a setting standing. */
  boolean withdraw(Object source) {
    return operators.removeIf(s -> s.isFrom(source));
  }

  /** Removes every setting that has ended by {@code now}; returns whether one did. */
  boolean expire(long now) {
    boolean ended = operators.removeIf(s -> s.endedAt(now));
    if (initial != null && initial.endedAt(now)) {
      initial = null;
      ended = true;
    }
    return ended;
  }

  /** What the audit says after {@code what} ended a setting and {@code now} is in force. */
  static String fallback(String what, Setting now) {
    return what
        + "; back to "
        + switch (now.maker()) {
          case NONE -> "ON (nothing else sets it)";
          case DEFINITION -> "its initial setting " + now.value();
          case SOURCE, API -> now.value() + " from " + now.origin();
        };
  }
}
