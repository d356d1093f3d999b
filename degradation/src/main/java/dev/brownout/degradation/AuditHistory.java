package dev.brownout.degradation;

import dev.brownout.core.internal.LogText;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit of one {@link Features}: the latest changes, at most {@code brownout.features.history}
 * of them, each also logged and counted by its source.
 *
 * <p>Which changes are recorded is decided by comparing the tables before and after a change
 * ({@link #recordEffects}): a feature whose effect changed, or whose setting was just made, gets
 * one entry, with the most specific cause known. Guarded by the lock of the {@link Features}:
 * entries are in the order of the changes, and a reader sees all the entries of one change or none
 * of them.
 *
 * <p>It also tells the {@link SwitchListener}s: the entries of one change are gathered as they are
 * recorded and handed over together by {@link #tell()}, which the change calls once it is
 * published.
 */
final class AuditHistory {

  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  /**
   * A setting just made, or ended, for the audit: the source text its entry names, and why, when
   * the switch in force does not say it (it fell back to another setting); null to let the switch
   * say it.
   */
  record Made(String source, String cause) {

    /**
     * The entry for {@code slot} after its setting {@code made} was just made by {@code source}:
     * its own cause if it is in force, else {@code ended} and what the feature fell back to.
     */
    static Made of(FeatureSlot slot, SettingStack.Setting made, String source, String ended) {
      SettingStack.Setting now = slot.settings.inForce();
      return new Made(
          source, SettingStack.same(now, made) ? null : SettingStack.fallback(ended, now));
    }
  }

  private final int limit;
  private final FeatureMeters meters;
  private final ArrayDeque<SwitchChange> entries = new ArrayDeque<>();

  /**
   * Added and removed without the lock, read under it: copy-on-write, as listeners rarely change.
   */
  private final List<SwitchListener> listeners = new CopyOnWriteArrayList<>();

  /** The entries of the change in progress, gathered only while someone listens. */
  private final List<SwitchChange> untold = new ArrayList<>();

  AuditHistory(int limit, FeatureMeters meters) {
    this.limit = limit;
    this.meters = meters;
  }

  /** The entries, oldest first. */
  List<SwitchChange> entries() {
    return List.copyOf(entries);
  }

  /**
   * Adds {@code change}, logs it, and counts it under {@code counted}: the source that delivered
   * it, which stays one tag value where the entry names each instance of a fleet.
   */
  void record(SwitchChange change, ChangeSource counted) {
    if (entries.size() == limit) {
      entries.removeFirst();
    }
    entries.addLast(change);
    if (!listeners.isEmpty()) {
      untold.add(change);
    }
    meters.countChange(counted);
    LOG.info(
        "feature {} {} -> {} ({}) source={}",
        LogText.of(change.feature()),
        LogText.of(change.from()),
        LogText.of(change.to()),
        LogText.neutralise(change.cause(), LogText.MAX_MESSAGE_LENGTH),
        LogText.of(change.source()));
  }

  void addListener(SwitchListener listener) {
    listeners.add(listener);
  }

  void removeListener(SwitchListener listener) {
    listeners.remove(listener);
  }

  /** Hands the entries recorded since the last call to every listener, as one change. */
  void tell() {
    if (untold.isEmpty()) {
      return;
    }
    List<SwitchChange> changes = List.copyOf(untold);
    untold.clear();
    for (SwitchListener listener : listeners) {
      try {
        listener.onChanges(changes);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        LOG.warn(
            "switch listener {} failed on a change of {}{}",
            LogText.of(listener),
            LogText.of(changes.get(0).feature()),
            LogText.trailingTrace(e));
      }
    }
  }

  /**
   * Records each feature of {@code slots} whose effect differs between {@code before} and {@code
   * after}, or whose setting is in {@code made}; a feature new in {@code after} only if its setting
   * was made. {@code source} made the change; {@code level} is the level in {@code after}.
   */
  void recordEffects(
      EffectTable before,
      EffectTable after,
      List<FeatureSlot> slots,
      Map<FeatureSlot, Made> made,
      ChangeSource source,
      int level,
      Instant at) {
    for (int i = 0; i < after.size(); i++) {
      FeatureState was = i < before.size() ? before.state(i) : null;
      FeatureState now = after.state(i);
      FeatureSlot slot = slots.get(i);
      Made setting = made.get(slot);
      boolean set = setting != null;
      if (was == null ? set : set || !was.effective().equals(now.effective())) {
        String cause =
            set && setting.cause() != null
                ? setting.cause()
                : now.cause() != null
                    ? now.cause()
                    : set && now.setting().reason() != null
                        ? now.setting().reason()
                        : backOn(source, slot, level);
        record(
            new SwitchChange(
                at,
                now.feature(),
                was == null ? "ON" : was.effective(),
                now.effective(),
                now.setting(),
                cause,
                set ? setting.source() : source.name()),
            source);
      }
    }
  }

  /** Why a feature is on again when nobody gave a reason. */
  private static String backOn(ChangeSource source, FeatureSlot slot, int level) {
    return switch (source.kind()) {
      case AUTO -> "auto: every trigger has cleared";
      case LEVEL, CONTROLLER -> "brownout level " + level + " no longer sheds " + slot.priority;
      default -> "on";
    };
  }
}
