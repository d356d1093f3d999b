package dev.brownout.degradation;

import java.util.List;
import java.util.Objects;

/**
 * What every feature of one {@link Features} admits, computed from the settings, the parents, the
 * triggers and the brownout level at one moment, and published as a whole.
 *
 * <p>Why a table computed on every change rather than an answer computed on every call: a feature
 * is checked on every request and changed a few times a day. The table turns each check into a
 * volatile read of the table and an array load ({@link #threshold}); a change pays for recomputing
 * every feature, which is linear in the number of features and runs under the lock of the change. A
 * reader sees one whole table, never a feature from one change and its parent from the next.
 *
 * <p>A feature's effect is a threshold out of {@link Feature#FULL}: the share of 32-bit key hashes
 * it admits. The effect is the smallest of its own setting's share, 0 when the level sheds its
 * priority, and its parent's effect; a parent is created before its children, so one pass in
 * creation order sees every parent's effect before it is needed.
 */
final class EffectTable {

  static final EffectTable EMPTY =
      new EffectTable(new long[0], new FeatureState[0], new FeatureDegradedException[0]);

  /** Read directly by {@link Features#threshold}, the one read on the call's path. */
  final long[] thresholds;

  private final FeatureState[] states;
  private final FeatureDegradedException[] rejections;

  private EffectTable(
      long[] thresholds, FeatureState[] states, FeatureDegradedException[] rejections) {
    this.thresholds = thresholds;
    this.states = states;
    this.rejections = rejections;
  }

  /**
   * The effect of {@code slots} (in creation order) at {@code level}. A rejection of the {@code
   * previous} table is kept while its cause is the same, so a degraded feature's exception is made
   * once per cause, not per call.
   */
  static EffectTable of(List<FeatureSlot> slots, int level, EffectTable previous) {
    int n = slots.size();
    long[] thresholds = new long[n];
    FeatureState[] states = new FeatureState[n];
    FeatureDegradedException[] rejections = new FeatureDegradedException[n];
    for (int i = 0; i < n; i++) {
      FeatureSlot slot = slots.get(i);
      SettingStack.Setting setting = slot.settings.inForce();
      long own;
      String cause = null;
      switch (setting.value().kind()) {
        case OFF -> {
          own = 0L;
          cause = offCause(setting.value());
        }
        case ROLLOUT -> {
          own = Math.round(setting.value().percent() / 100.0 * Feature.FULL);
          cause = own == Feature.FULL ? null : "rolled out to " + describe(own);
        }
        case AUTO -> {
          String firing = slot.triggers.firing();
          own = firing == null ? Feature.FULL : 0L;
          cause = firing == null ? null : "auto: " + firing;
        }
        default -> own = Feature.FULL;
      }
      if (own > 0 && slot.priority.isShedAt(level)) {
        own = 0L;
        cause = "brownout level " + level + " sheds " + slot.priority;
      }
      Feature parent = slot.feature.parent();
      long effective = own;
      if (parent != null && thresholds[parent.index()] < own) {
        effective = thresholds[parent.index()];
        cause =
            "parent "
                + parent.name()
                + " is "
                + describe(effective)
                + ": "
                + states[parent.index()].cause();
      }
      thresholds[i] = effective;
      states[i] =
          new FeatureState(
              slot.feature.name(),
              slot.priority,
              setting.value(),
              setting.origin(),
              setting.since(),
              setting.expiresAt(),
              percent(effective),
              describe(effective),
              effective == Feature.FULL ? null : cause);
      if (effective != Feature.FULL) {
        FeatureDegradedException before =
            i < previous.rejections.length ? previous.rejections[i] : null;
        rejections[i] =
            before != null && Objects.equals(previous.states[i].cause(), states[i].cause())
                ? before
                : new FeatureDegradedException(slot.feature.name(), states[i].cause());
      }
    }
    return new EffectTable(thresholds, states, rejections);
  }

  int size() {
    return states.length;
  }

  /** The share of key hashes feature {@code index} admits, out of {@link Feature#FULL}. */
  long threshold(int index) {
    return thresholds[index];
  }

  FeatureState state(int index) {
    return states[index];
  }

  /** Why feature {@code index} is not fully on, for a fallback; a text even when it is on. */
  String cause(int index) {
    String cause = states[index].cause();
    return cause == null ? "the feature is on" : cause;
  }

  /** The exception a degraded call of feature {@code index} throws, made once per cause. */
  FeatureDegradedException rejection(int index) {
    FeatureDegradedException rejection = rejections[index];
    return rejection != null
        ? rejection
        : new FeatureDegradedException(states[index].feature(), "it was switched back on");
  }

  /**
   * {@code ON}, {@code OFF} or {@code ROLLOUT 25%}: how the audit and the states show an effect.
   */
  static String describe(long threshold) {
    if (threshold == Feature.FULL) {
      return "ON";
    }
    if (threshold == 0L) {
      return "OFF";
    }
    double percent = percent(threshold);
    return "ROLLOUT "
        + (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent))
        + "%";
  }

  private static double percent(long threshold) {
    return Math.round(threshold * 10_000.0 / Feature.FULL) / 100.0;
  }

  private static String offCause(Switch setting) {
    StringBuilder cause = new StringBuilder("switched off");
    if (setting.by() != null) {
      cause.append(" by ").append(setting.by());
    }
    if (setting.reason() != null) {
      cause.append(": ").append(setting.reason());
    }
    return cause.toString();
  }
}
