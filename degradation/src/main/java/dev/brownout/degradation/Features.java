package dev.brownout.degradation;

import dev.brownout.core.Brownout;
import dev.brownout.core.Ticker;
import dev.brownout.core.internal.LogText;
import dev.brownout.core.internal.Settings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of one {@link Brownout} runtime: their switches, the brownout level, the sources
 * that set them, and the audit history of every change.
 *
 * <pre>{@code
 * Features features = Features.of(brownout);
 * Feature recommendations = features.define("feed.recommendations").priority(Priority.P3).register();
 * features.set("feed.recommendations", Switch.off("store is down").by("alice").lasting(Duration.ofMinutes(30)));
 * features.setLevel(2, "Black Friday");   // sheds every P3 and P4 feature
 * }</pre>
 *
 * <p>Which setting is in force goes by who made it, not by what happened first: an operator's
 * setting (from a {@link SwitchSource}, or through {@link #set}) always wins over a definition's
 * {@link Definition#initially}, even one registered later; among operators the latest action wins
 * (a source re-delivering an unchanged entry is no action). A source's setting stands while the
 * source names the feature, an API setting until the next action replaces it; when the setting in
 * force ends (withdrawn or expired) the feature falls back to the latest setting still standing,
 * else to its initial setting, and the audit history says so.
 *
 * <p>Every change (a switch, a trigger, an expiry, the level) recomputes what each feature admits
 * and publishes it in one step: a reader sees a whole change or none of it, and the switch check on
 * the call's path stays a volatile read. Time-driven changes (expiries, AUTO triggers, the level
 * controller, file sources) happen on a refresh, every {@code brownout.features.refresh} (default 1
 * s; {@code 0} leaves it to {@link #refresh()} calls).
 *
 * <p>Why one file of 660 lines (about 460 of code, 90 of them the public {@link Definition}, nested
 * so that it reads {@code features.define(...)}). The parts with logic of their own are
 * package-private classes with their own tests: the settings in force ({@link SettingStack}), what
 * each feature admits ({@link EffectTable}), the audit ({@link AuditHistory}), AUTO triggers
 * ({@link TriggerStates}), the sources ({@link SourceLink}), the meters ({@link FeatureMeters}),
 * the level ({@link Dimmer}). What remains is the façade and the one write path ({@link Change})
 * that turns any change into one published step, which has to see all of them.
 */
public final class Features implements AutoCloseable {

  /*
   * The parts
   *
   * This class is the facade and the one lock; each concern behind it is a package-private class
   * with its own tests:
   *
   *   FeatureSlot    a feature's declared priority, triggers and standing settings (Feature itself is
   *                  identity and reads only)
   *   SettingStack   which of a feature's settings is in force (precedence by who set it)
   *   TriggerStates  whether each trigger of a feature fires, with hysteresis and hold
   *   Dimmer         the brownout level and the steering of the level controller
   *   EffectTable    what every feature admits, computed on each change and published whole
   *   AuditHistory   which changes are recorded, logged and counted, and the bounded history
   *   FeatureMeters  the counters and gauges, bound once to the runtime's registries
   *   SourceLink     a switch source's sink, the diff of its deliveries, and its reads off-thread
   *   ChangeSource   who made a change: a kind the code decides by, a name that is only text
   *
   * Concurrency: every change (a definition, a switch, a delivery, an expiry, a trigger, the level)
   * runs under `lock`, mutates the slots, then publishes one new EffectTable through a volatile
   * field and records the audit. Readers on the call's path (Feature.isEnabled, FeatureAdmission)
   * read that field once and index arrays: no lock, no allocation. `byName` is a concurrent map so a
   * lookup of an existing feature takes no lock either; a feature enters it only after the table that
   * holds it is published, so a feature found there can always be read. Under the lock, features are
   * found in `slotsByName`, which also holds those created by a change still in progress: a delivery
   * that creates many features publishes them once, with its own change. Sources, triggers and the
   * load signal are read outside the lock: a slow read never holds back a change.
   */

  /** The name under which the audit history records changes of the brownout level. */
  public static final String LEVEL = "#level";

  static final String REFRESH_KEY = "brownout.features.refresh";
  static final String HISTORY_KEY = "brownout.features.history";
  static final String SOURCE_TIMEOUT_KEY = "brownout.features.sourceTimeout";

  private static final Logger LOG = LoggerFactory.getLogger(Features.class);

  private final TickClock clock;
  private final Object lock = new Object();
  private final Map<String, Feature> byName = new ConcurrentHashMap<>();
  private final FeatureMeters meters;

  /** Sources being read: added before their start, so a refresh never polls one first. */
  private final List<SourceLink> reading = new CopyOnWriteArrayList<>();

  /** Sources started: offered the changes made here, and closed with the features. */
  private final List<SourceLink> sources = new CopyOnWriteArrayList<>();

  private final ScheduledExecutorService refresher;
  private final ExecutorService reads;
  private final long sourceTimeoutNanos;

  // Guarded by lock.
  private final List<FeatureSlot> slots = new ArrayList<>();
  private final Map<String, FeatureSlot> slotsByName = new HashMap<>();

  /** Slots created since the last publish: they enter {@code byName} once a table holds them. */
  private final List<FeatureSlot> unpublished = new ArrayList<>();

  private final AuditHistory audit;
  private final Dimmer dimmer = new Dimmer();

  private volatile EffectTable table = EffectTable.EMPTY;

  private Features(Brownout runtime) {
    FeaturesSettings settings = FeaturesSettings.from(runtime.config());
    this.clock = new TickClock(runtime.ticker());
    this.meters = new FeatureMeters(runtime);
    this.audit = new AuditHistory(settings.historyLimit(), meters);
    this.sourceTimeoutNanos = settings.sourceTimeoutNanos();
    // One thread per source read at most: a source is not read again while its last read runs.
    this.reads = Executors.newCachedThreadPool(daemon("brownout-switch-source"));
    if (settings.refresh().isZero()) {
      this.refresher = null;
    } else {
      this.refresher = Executors.newSingleThreadScheduledExecutor(daemon("brownout-features"));
      long nanos = settings.refresh().toNanos();
      var unused =
          refresher.scheduleWithFixedDelay(
              this::refreshInBackground, nanos, nanos, TimeUnit.NANOSECONDS);
    }
    meters.bindLevel(this, Features::level);
  }

  private static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** The features of {@code runtime}, created on first use. */
  public static Features of(Brownout runtime) {
    return Settings.notNull("features.runtime", runtime).component(Features.class, Features::new);
  }

  // ---- declaring features

  /**
   * The feature named {@code name}. A feature nobody defined is created on first use with priority
   * P2 (or its parent's, if that is less important), ON, and no triggers.
   */
  public Feature feature(String name) {
    Feature feature = byName.get(name);
    if (feature != null) {
      return feature;
    }
    FeatureName parsed = FeatureName.of(name);
    synchronized (lock) {
      FeatureSlot slot = ensure(parsed, null);
      if (!unpublished.isEmpty()) {
        publish(ChangeSource.DEFINITION, Map.of());
      }
      return slot.feature;
    }
  }

  /**
   * The feature named {@code name} if it exists (defined, looked up, or named by a source or as a
   * parent), else null; unlike {@link #feature} it never creates one. A map read: no lock, no
   * allocation.
   */
  public @Nullable Feature find(String name) {
    return byName.get(Settings.notNull("features.find.name", name));
  }

  /** Starts the definition of feature {@code name}: its priority, triggers and first setting. */
  public Definition define(String name) {
    return new Definition(FeatureName.of(name));
  }

  /** Every feature, in the order they were created (parents before their children). */
  public List<Feature> all() {
    synchronized (lock) {
      List<Feature> all = new ArrayList<>(slots.size());
      for (FeatureSlot slot : slots) {
        all.add(slot.feature);
      }
      return Collections.unmodifiableList(all);
    }
  }

  // ---- switching

  /** Sets feature {@code name}'s switch, on behalf of the API ({@code source} = {@code api}). */
  public FeatureState set(String name, Switch setting) {
    return set(name, setting, ChangeSource.API.name());
  }

  /**
   * Sets feature {@code name}'s switch, recording {@code source} (an admin endpoint, a tool) in the
   * audit. It is in force until the next setting of the feature (see {@link Features} for which
   * setting wins).
   */
  public FeatureState set(String name, Switch setting, String source) {
    Settings.notNull("features.set.switch", setting);
    ChangeSource by = ChangeSource.api(Settings.notNull("features.set.source", source));
    Feature feature = feature(name);
    Switch fixed = change(by, change -> change.act(feature, setting));
    offer(feature.name(), fixed, null);
    return feature.state();
  }

  /** Offers a change made here to every source but {@code from}, so a shared store passes it on. */
  void offer(String feature, Switch fixed, SourceLink from) {
    for (SourceLink shared : sources) {
      if (shared != from) {
        shared.offer(feature, fixed);
      }
    }
  }

  /** The brownout level: 0 sheds nothing, 1 sheds P4, … 4 sheds everything but P0. */
  public int level() {
    synchronized (lock) {
      return dimmer.level();
    }
  }

  /** Sets the brownout level by hand; a running {@link LevelController} goes on from here. */
  public void setLevel(int newLevel, String reason) {
    setLevel(newLevel, reason, "api");
  }

  /**
   * Sets the brownout level by hand, recorded in the history as made by {@code by} (an admin, a
   * tool); a running {@link LevelController} goes on from here.
   */
  public void setLevel(int newLevel, String reason, String by) {
    Settings.notNull("features.level.by", by);
    if (newLevel < 0 || newLevel > Priority.MAX_LEVEL) {
      throw Settings.invalid("features.level", newLevel, "must be from 0 to " + Priority.MAX_LEVEL);
    }
    Settings.notNull("features.level.reason", reason);
    synchronized (lock) {
      int old = dimmer.level();
      dimmer.set(newLevel);
      levelChanged(old, reason, ChangeSource.api(by), ChangeSource.LEVEL);
    }
  }

  /**
   * Lets {@code levelController} move the level from the next refresh on; {@code null} stops it.
   */
  public void control(@Nullable LevelController levelController) {
    synchronized (lock) {
      dimmer.control(levelController);
    }
  }

  /** Every feature's state, all read from one published change. */
  public Map<String, FeatureState> snapshot() {
    EffectTable current = table;
    Map<String, FeatureState> states = new LinkedHashMap<>();
    for (int i = 0; i < current.size(); i++) {
      states.put(current.state(i).feature(), current.state(i));
    }
    return Collections.unmodifiableMap(states);
  }

  /**
   * The most recent changes, oldest first, at most {@code brownout.features.history} (default
   * 1000).
   */
  public List<SwitchChange> history() {
    synchronized (lock) {
      return audit.entries();
    }
  }

  /**
   * Tells {@code listener} every change from now on, once per change, after it is published (see
   * {@link SwitchListener} for the thread it runs on).
   */
  public void addListener(SwitchListener listener) {
    audit.addListener(Settings.notNull("features.listener", listener));
  }

  /** Stops telling {@code listener}; a change being told may still reach it once. */
  public void removeListener(SwitchListener listener) {
    audit.removeListener(Settings.notNull("features.listener", listener));
  }

  /**
   * Adds a source of switches (a watched file, a shared store): it applies its current state now,
   * and its changes from then on, on every refresh or when it pushes them.
   */
  public void addSource(SwitchSource source) {
    Settings.notNull("features.source", source);
    SourceLink link = new SourceLink(source, this, reads, sourceTimeoutNanos);
    // Started before the refresh thread can see it, so that no poll comes first and takes its turn.
    boolean started = link.start();
    reading.add(link);
    if (started) {
      link.await(System.nanoTime() + sourceTimeoutNanos);
    }
    sources.add(link);
  }

  /**
   * Does the time-driven work now: reads the sources that poll (waiting at most {@code
   * brownout.features.sourceTimeout}, default 10 s, for them; a read that takes longer goes on in
   * the background, counted as an error), then expiring switches, AUTO triggers, the level
   * controller. Tests with a hand-driven ticker call it; the refresh thread does the same without
   * waiting for any source.
   */
  public void refresh() {
    List<SourceLink> started = new ArrayList<>();
    for (SourceLink link : reading) {
      if (link.poll()) {
        started.add(link);
      }
    }
    long deadline = System.nanoTime() + sourceTimeoutNanos;
    for (SourceLink link : started) {
      link.await(deadline);
    }
    evaluate();
  }

  /**
   * What the refresh thread runs: it starts each source's read and never waits for one, so that
   * expiries, triggers and the controller keep their schedule whatever a source does.
   */
  private void refreshInBackground() {
    try {
      long now = System.nanoTime();
      for (SourceLink link : reading) {
        link.reportIfLate(now);
        link.poll();
      }
      evaluate();
    } catch (RuntimeException | Error e) {
      LOG.error("feature refresh failed; the next one will try again{}", LogText.trailingTrace(e));
    }
  }

  /**
   * Expiries, AUTO triggers and the level controller: the time-driven work that reads no source.
   */
  private void evaluate() {
    IdentityHashMap<Trigger, Double> readings = new IdentityHashMap<>();
    LevelController current;
    synchronized (lock) {
      for (FeatureSlot slot : slots) {
        for (Trigger trigger : slot.triggers.triggers()) {
          readings.put(trigger, Double.NaN);
        }
      }
      current = dimmer.controller();
    }
    for (Map.Entry<Trigger, Double> reading : readings.entrySet()) {
      reading.setValue(TriggerStates.read(reading.getKey()));
    }
    double load = current == null ? Double.NaN : Dimmer.read(current.signal);
    synchronized (lock) {
      long now = clock.read();
      Map<FeatureSlot, AuditHistory.Made> expired = new LinkedHashMap<>();
      boolean triggersMoved = false;
      for (FeatureSlot slot : slots) {
        SettingStack.Setting before = slot.settings.inForce();
        if (slot.settings.expire(now) && !SettingStack.same(slot.settings.inForce(), before)) {
          expired.put(
              slot,
              new AuditHistory.Made(
                  ChangeSource.EXPIRY.name(),
                  SettingStack.fallback("expired: " + before.value(), slot.settings.inForce())));
        }
        if (slot.triggers.update(readings, now)) {
          triggersMoved |= slot.settings.inForce().value().kind() == Switch.Kind.AUTO;
        }
      }
      if (!expired.isEmpty()) {
        publish(ChangeSource.EXPIRY, expired);
      }
      if (triggersMoved) {
        publish(ChangeSource.AUTO, Map.of());
      }
      if (current != null && current == dimmer.controller()) {
        int old = dimmer.level();
        Dimmer.Step step = dimmer.steer(current, load, now);
        if (step != null) {
          levelChanged(old, step.reason(), ChangeSource.CONTROLLER, ChangeSource.CONTROLLER);
        }
      }
    }
  }

  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    reads.shutdownNow();
    for (SourceLink link : sources) {
      try {
        link.source.close();
      } catch (RuntimeException e) {
        LOG.warn(
            "switch source {} failed to close{}",
            LogText.of(link.changeSource.name()),
            LogText.trailingTrace(e));
      }
    }
  }

  // ---- what features, admissions and sources read

  Ticker ticker() {
    return clock.ticker();
  }

  FeatureMeters meters() {
    return meters;
  }

  long threshold(int index) {
    return table.thresholds[index];
  }

  FeatureState state(int index) {
    return table.state(index);
  }

  String cause(int index) {
    return table.cause(index);
  }

  FeatureDegradedException rejection(int index) {
    return table.rejection(index);
  }

  /** The counter of calls of {@code feature} served by {@code strategy}, shared by every guard. */
  LongAdder degradedCounter(String feature, String strategy) {
    return meters.degradedCalls(feature, strategy);
  }

  // ---- changes, all under lock

  /**
   * Runs {@code body} under the lock with a {@link Change} made by {@code source}, then publishes
   * the settings it made as one change, if it made any.
   */
  <T> T change(ChangeSource source, Function<Change, T> body) {
    synchronized (lock) {
      Change change = new Change(source, clock.read());
      T result = body.apply(change);
      if (!change.made.isEmpty() || !unpublished.isEmpty()) {
        publish(source, change.made);
      }
      return result;
    }
  }

  /** The settings one change makes, applied to the slots at once and published together. */
  final class Change {
    private final ChangeSource source;
    private final long tick;
    private final Map<FeatureSlot, AuditHistory.Made> made = new LinkedHashMap<>();

    private Change(ChangeSource source, long tick) {
      this.source = source;
      this.tick = tick;
    }

    /** An operator's action on {@code feature}: in force from now, and always recorded. */
    Switch act(Feature feature, Switch setting) {
      FeatureSlot slot = slots.get(feature.index());
      SettingStack.Setting action =
          setting(SettingStack.Maker.API, null, setting, source.name(), tick);
      slot.settings.act(action, tick);
      made.put(
          slot, AuditHistory.Made.of(slot, action, source.name(), "expired: " + action.value()));
      return action.value();
    }

    /**
     * Source {@code from}'s {@code setting} of {@code feature}, named {@code origin} in the audit.
     */
    Switch deliver(SourceLink from, String feature, Switch setting, String origin) {
      FeatureSlot slot = ensure(FeatureName.of(feature), null);
      SettingStack.Setting was = slot.settings.inForce();
      SettingStack.Setting delivered =
          setting(SettingStack.Maker.SOURCE, from, setting, origin, tick);
      if (slot.settings.deliver(delivered, tick)
          && !SettingStack.same(slot.settings.inForce(), was)) {
        made.put(
            slot, AuditHistory.Made.of(slot, delivered, origin, "expired: " + delivered.value()));
      }
      return delivered.value();
    }

    /** Source {@code from} no longer names {@code feature}: {@code what} ended its setting. */
    void withdraw(SourceLink from, String feature, String what) {
      FeatureSlot slot = slotsByName.get(feature);
      SettingStack.Setting was = slot.settings.inForce();
      if (slot.settings.withdraw(from) && !SettingStack.same(slot.settings.inForce(), was)) {
        made.put(
            slot,
            new AuditHistory.Made(
                from.changeSource.name(), SettingStack.fallback(what, slot.settings.inForce())));
      }
    }
  }

  /**
   * The slot of feature {@code name}, created with its missing ancestors if needed; a slot created
   * here is published by the next {@link #publish}, which the caller makes.
   */
  private FeatureSlot ensure(FeatureName name, Priority wanted) {
    FeatureSlot existing = slotsByName.get(name.toString());
    if (existing != null) {
      return existing;
    }
    FeatureSlot parent = name.parent().map(p -> ensure(p, Priority.P0)).orElse(null);
    Priority priority = wanted;
    if (priority == null) {
      priority =
          parent != null && parent.priority.compareTo(Priority.P2) > 0
              ? parent.priority
              : Priority.P2;
    }
    Feature feature = new Feature(this, slots.size(), name, parent == null ? null : parent.feature);
    FeatureSlot slot = new FeatureSlot(feature, priority, now());
    slots.add(slot);
    slotsByName.put(name.toString(), slot);
    unpublished.add(slot);
    return slot;
  }

  Instant now() {
    return clock.now();
  }

  /** A setting made at {@code tick}, its expiry fixed on the runtime's clock. */
  private SettingStack.Setting setting(
      SettingStack.Maker maker, Object owner, Switch raw, String origin, long tick) {
    Instant at = clock.at(tick);
    Switch value = raw.fixedAt(at);
    Instant expiresAt = value.until();
    return new SettingStack.Setting(
        maker,
        owner,
        raw,
        value,
        origin,
        at,
        expiresAt,
        expiresAt == null ? 0L : clock.tickOf(expiresAt));
  }

  /**
   * Records a move of the level from {@code old} by {@code by}, and publishes its effect as {@code
   * effect}.
   */
  private void levelChanged(int old, String reason, ChangeSource by, ChangeSource effect) {
    int level = dimmer.level();
    if (level == old) {
      return;
    }
    audit.record(
        new SwitchChange(
            now(), LEVEL, String.valueOf(old), String.valueOf(level), null, reason, by.name()),
        by);
    publish(effect, Map.of());
    LevelController controller = dimmer.controller();
    if (controller != null) {
      controller.signal.levelChanged();
    }
  }

  /**
   * Recomputes every feature's effect, publishes it, and records each feature whose effect changed
   * or whose setting was just made ({@code made}).
   */
  private void publish(ChangeSource source, Map<FeatureSlot, AuditHistory.Made> made) {
    EffectTable before = table;
    EffectTable after = EffectTable.of(slots, dimmer.level(), before);
    table = after;
    for (FeatureSlot created : unpublished) {
      byName.put(created.feature.name(), created.feature);
      meters.bindState(created.feature);
    }
    unpublished.clear();
    audit.recordEffects(before, after, slots, made, source, dimmer.level(), now());
    audit.tell();
  }

  /**
   * The definition of one feature, applied by {@link #register()}. A feature can be defined once;
   * one that was only looked up before (or created as another's parent) takes the definition then.
   */
  public final class Definition {
    private final FeatureName name;
    private Priority priority = Priority.P2;
    private final List<Trigger> triggers = new ArrayList<>();
    private Switch initial = Switch.on();

    private Definition(FeatureName name) {
      this.name = name;
    }

    /** The feature's priority (default P2); a child cannot be more important than its parent. */
    public Definition priority(Priority value) {
      this.priority = Settings.notNull("feature.priority", value);
      return this;
    }

    /** A trigger that turns the feature off while its switch is AUTO. */
    public Definition trigger(Trigger trigger) {
      triggers.add(Settings.notNull("feature.trigger", trigger));
      return this;
    }

    /**
     * The switch the feature has while no operator's setting stands (default ON); {@link
     * Switch#auto()} to follow the triggers. A switch a source or {@link Features#set} gave the
     * feature before it was defined stays in force.
     */
    public Definition initially(Switch setting) {
      this.initial = Settings.notNull("feature.initially", setting);
      return this;
    }

    /** Creates the feature, or gives this definition to one that was only looked up so far. */
    public Feature register() {
      if (priority == Priority.P0 && !triggers.isEmpty()) {
        throw Settings.invalid(
            "feature " + name + ".trigger",
            triggers,
            "cannot be set on a P0 feature: the core is never degraded automatically");
      }
      synchronized (lock) {
        FeatureSlot slot = slotsByName.get(name.toString());
        if (slot != null && slot.declared) {
          throw new IllegalStateException(
              "feature '" + name + "' is already defined; look it up with feature(name)");
        }
        FeatureSlot parent = name.parent().map(p -> slotsByName.get(p.toString())).orElse(null);
        Priority parentPriority = parent == null ? null : parent.priority;
        if (parentPriority != null && parentPriority.compareTo(priority) > 0) {
          throw Settings.invalid(
              "feature " + name + ".priority",
              priority,
              "is more important than its parent "
                  + parent.feature.name()
                  + " ("
                  + parentPriority
                  + "); a child is shed no later than its parent");
        }
        if (slot != null) {
          for (FeatureSlot other : slots) {
            if (other != slot
                && other.feature.featureName().isUnder(name)
                && other.priority.compareTo(priority) < 0) {
              throw Settings.invalid(
                  "feature " + name + ".priority",
                  priority,
                  "is less important than its child "
                      + other.feature.name()
                      + " ("
                      + other.priority
                      + "); a child is shed no later than its parent");
            }
          }
          slot.priority = priority;
        } else {
          slot = ensure(name, priority);
        }
        slot.declared = true;
        slot.triggers = new TriggerStates(triggers);
        long tick = clock.read();
        slot.settings.define(
            setting(
                SettingStack.Maker.DEFINITION, null, initial, ChangeSource.DEFINITION.name(), tick),
            tick);
        publish(ChangeSource.DEFINITION, Map.of());
        return slot.feature;
      }
    }
  }
}
