package dev.brownout.degradation;

import dev.brownout.core.Brownout;
import dev.brownout.core.Durations;
import dev.brownout.core.Ticker;
import dev.brownout.core.internal.LogText;
import dev.brownout.core.spi.Settings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of one {@link Brownout} runtime: their switches, the brownout level, the sources that
 * set them, and the audit history of every change.
 *
 * <pre>{@code
 * Features features = Features.of(brownout);
 * Feature recommendations = features.define("feed.recommendations").priority(Priority.P3).register();
 * features.set("feed.recommendations", Switch.off("store is down").by("alice").lasting(Duration.ofMinutes(30)));
 * features.setLevel(2, "Black Friday");   // sheds every P3 and P4 feature
 * }</pre>
 *
 * <p>Which setting is in force goes by who made it, not by what happened first: an operator's setting
 * (from a {@link SwitchSource}, or through {@link #set}) always wins over a definition's
 * {@link Definition#initially}, even one registered later; among operators the latest action wins (a
 * source re-delivering an unchanged entry is no action). A source's setting stands while the source
 * names the feature, an API setting until the next action replaces it; when the setting in force ends
 * (withdrawn or expired) the feature falls back to the latest setting still standing, else to its
 * initial setting, and the audit history says so.
 *
 * <p>Every change (a switch, a trigger, an expiry, the level) recomputes what each feature admits and
 * publishes it in one step: a reader sees a whole change or none of it, and the switch check on the
 * call's path stays a volatile read. Time-driven changes (expiries, AUTO triggers, the level controller,
 * file sources) happen on a refresh, every {@code brownout.features.refresh} (default 1 s; {@code 0}
 * leaves it to {@link #refresh()} calls).
 */
public final class Features implements AutoCloseable {

  /** The name under which the audit history records changes of the brownout level. */
  public static final String LEVEL = "#level";

  static final String REFRESH_KEY = "brownout.features.refresh";
  static final String HISTORY_KEY = "brownout.features.history";
  static final String SOURCE_TIMEOUT_KEY = "brownout.features.sourceTimeout";

  private static final Logger LOG = LoggerFactory.getLogger(Features.class);
  private static final long NEVER = Long.MIN_VALUE;
  private static final Duration HORIZON = Duration.ofNanos(1L << 62);

  private final Brownout runtime;
  private final Ticker ticker;
  private final Instant wallBase;
  private final long tickBase;
  private final Object lock = new Object();
  private final Map<String, Feature> byName = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> degradedCalls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> changes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> sourceErrors = new ConcurrentHashMap<>();
  private final List<SwitchSource> sources = new CopyOnWriteArrayList<>();
  private final int historyLimit;
  private final ScheduledExecutorService refresher;
  private final ExecutorService reads;
  private final long sourceTimeoutNanos;
  private final Map<SwitchSource, SourceRead> sourceReads = new ConcurrentHashMap<>();

  // Guarded by lock.
  private final List<Feature> all = new ArrayList<>();
  private final ArrayDeque<SwitchChange> history = new ArrayDeque<>();
  private final Map<String, Map<String, Switch>> appliedBySource = new HashMap<>();
  private int level;
  private LevelController controller;
  private long overSince = NEVER;
  private long underSince = NEVER;

  private volatile Table table = new Table(new long[0], new FeatureState[0], new FeatureDegradedException[0]);

  private Features(Brownout runtime) {
    this.runtime = runtime;
    this.ticker = runtime.ticker();
    this.wallBase = Instant.now();
    this.tickBase = ticker.read();
    this.historyLimit =
        runtime.config().get(HISTORY_KEY).map(v -> parseHistory(v)).orElse(1000);
    Duration refresh =
        runtime
            .config()
            .get(REFRESH_KEY)
            .map(v -> v.trim().equals("0") ? Duration.ZERO : Durations.parse(REFRESH_KEY, v))
            .orElse(Duration.ofSeconds(1));
    if (refresh.isNegative()) {
      throw Settings.invalid(REFRESH_KEY, refresh, "must be positive, or 0 to refresh only on refresh() calls");
    }
    this.sourceTimeoutNanos =
        Settings.positive(
                SOURCE_TIMEOUT_KEY,
                runtime.config().get(SOURCE_TIMEOUT_KEY).map(v -> Durations.parse(SOURCE_TIMEOUT_KEY, v)).orElse(Duration.ofSeconds(10)))
            .toNanos();
    // One thread per source read at most: a source is not read again while its last read runs.
    this.reads =
        Executors.newCachedThreadPool(
            task -> {
              Thread thread = new Thread(task, "brownout-switch-source");
              thread.setDaemon(true);
              return thread;
            });
    if (refresh.isZero()) {
      this.refresher = null;
    } else {
      this.refresher =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "brownout-features");
                thread.setDaemon(true);
                return thread;
              });
      long nanos = refresh.toNanos();
      var unused = refresher.scheduleWithFixedDelay(this::refreshInBackground, nanos, nanos, TimeUnit.NANOSECONDS);
    }
    runtime.bindMeters(
        registry ->
            Gauge.builder("brownout.level", this, Features::level)
                .description("The brownout level: features with a priority it sheds are off")
                .register(registry));
  }

  private static int parseHistory(String value) {
    try {
      return Settings.positive(HISTORY_KEY, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      throw Settings.invalid(HISTORY_KEY, "'" + value + "'", "must be a positive whole number of entries");
    }
  }

  /** The features of {@code runtime}, created on first use. */
  public static Features of(Brownout runtime) {
    return Settings.notNull("features.runtime", runtime).component(Features.class, Features::new);
  }

  // ---- declaring features

  /**
   * The feature named {@code name}. A feature nobody defined is created on first use with priority P2
   * (or its parent's, if that is less important), ON, and no triggers.
   */
  public Feature feature(String name) {
    Feature feature = byName.get(name);
    if (feature != null) {
      return feature;
    }
    FeatureName parsed = FeatureName.of(name);
    synchronized (lock) {
      return ensure(parsed, null);
    }
  }

  /** Starts the definition of feature {@code name}: its priority, triggers and first setting. */
  public Definition define(String name) {
    return new Definition(FeatureName.of(name));
  }

  /** Every feature, in the order they were created (parents before their children). */
  public List<Feature> all() {
    synchronized (lock) {
      return List.copyOf(all);
    }
  }

  // ---- switching

  /** Sets feature {@code name}'s switch, on behalf of the API ({@code source} = {@code api}). */
  public FeatureState set(String name, Switch setting) {
    return set(name, setting, "api");
  }

  /**
   * Sets feature {@code name}'s switch, recording {@code source} (an admin endpoint, a tool) in the
   * audit. It is in force until the next setting of the feature (see {@link Features} for which
   * setting wins).
   */
  public FeatureState set(String name, Switch setting, String source) {
    Settings.notNull("features.set.switch", setting);
    Settings.notNull("features.set.source", source);
    Feature feature = feature(name);
    Switch fixed;
    synchronized (lock) {
      long tick = ticker.read();
      SettingStack.Setting made = setting(SettingStack.Maker.API, null, setting, source, tick);
      feature.settings.act(made, tick);
      fixed = made.value();
      publish(source, Map.of(feature, made(feature, made, source, "expired: " + fixed)));
    }
    offer(feature, fixed, source);
    return feature.state();
  }

  /** Offers a change made here to every other source, so a shared store passes it on. */
  private void offer(Feature feature, Switch fixed, String source) {
    for (SwitchSource shared : sources) {
      if (!shared.name().equals(source)) {
        try {
          shared.write(feature.name(), fixed);
        } catch (Exception e) {
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
          countSourceError(shared.name());
          LOG.error("switch source {} could not take the change of {} to {}; it stays local{}", LogText.of(shared.name()), feature.name(), LogText.of(fixed), LogText.trailingTrace(e));
        }
      }
    }
  }

  /** The brownout level: 0 sheds nothing, 1 sheds P4, … 4 sheds everything but P0. */
  public int level() {
    synchronized (lock) {
      return level;
    }
  }

  /** Sets the brownout level by hand; a running {@link LevelController} goes on from here. */
  public void setLevel(int newLevel, String reason) {
    if (newLevel < 0 || newLevel > Priority.MAX_LEVEL) {
      throw Settings.invalid("features.level", newLevel, "must be from 0 to " + Priority.MAX_LEVEL);
    }
    Settings.notNull("features.level.reason", reason);
    synchronized (lock) {
      changeLevel(newLevel, reason, "api");
    }
  }

  /** Lets {@code levelController} move the level from the next refresh on; {@code null} stops it. */
  public void control(LevelController levelController) {
    synchronized (lock) {
      controller = levelController;
      overSince = NEVER;
      underSince = NEVER;
    }
  }

  /** Every feature's state, all read from one published change. */
  public Map<String, FeatureState> snapshot() {
    Table current = table;
    Map<String, FeatureState> states = new LinkedHashMap<>();
    for (FeatureState state : current.states) {
      states.put(state.feature(), state);
    }
    return Collections.unmodifiableMap(states);
  }

  /** The most recent changes, oldest first, at most {@code brownout.features.history} (default 1000). */
  public List<SwitchChange> history() {
    synchronized (lock) {
      return List.copyOf(history);
    }
  }

  /**
   * Adds a source of switches (a watched file, a shared store): it applies its current state now, and
   * its changes from then on, on every refresh or when it pushes them.
   */
  public void addSource(SwitchSource source) {
    Settings.notNull("features.source", source);
    Sink sink = new Sink(Settings.notNull("features.source.name", source.name()));
    SourceRead read = new SourceRead(source, sink);
    // Started before the refresh thread can see it, so that no poll comes first and takes its turn.
    boolean started = read.begin(() -> source.start(sink), "could not start");
    sourceReads.put(source, read);
    if (started) {
      read.await(System.nanoTime() + sourceTimeoutNanos);
    }
    sources.add(source);
  }

  /**
   * Does the time-driven work now: reads the sources that poll (waiting at most
   * {@code brownout.features.sourceTimeout}, default 10 s, for them; a read that takes longer goes on
   * in the background, counted as an error), then expiring switches, AUTO triggers, the level
   * controller. Tests with a hand-driven ticker call it; the refresh thread does the same without
   * waiting for any source.
   */
  public void refresh() {
    List<SourceRead> started = new ArrayList<>();
    for (SourceRead read : sourceReads.values()) {
      if (read.begin(read.source::poll, "failed to poll")) {
        started.add(read);
      }
    }
    long deadline = System.nanoTime() + sourceTimeoutNanos;
    for (SourceRead read : started) {
      read.await(deadline);
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
      for (SourceRead read : sourceReads.values()) {
        read.reportIfLate(now);
        read.begin(read.source::poll, "failed to poll");
      }
      evaluate();
    } catch (RuntimeException | Error e) {
      LOG.error("feature refresh failed; the next one will try again{}", LogText.trailingTrace(e));
    }
  }

  /** Expiries, AUTO triggers and the level controller: the time-driven work that reads no source. */
  private void evaluate() {
    IdentityHashMap<Trigger, Double> readings = new IdentityHashMap<>();
    LevelController current;
    synchronized (lock) {
      for (Feature feature : all) {
        for (Trigger trigger : feature.triggers) {
          readings.put(trigger, Double.NaN);
        }
      }
      current = controller;
    }
    for (Map.Entry<Trigger, Double> reading : readings.entrySet()) {
      reading.setValue(safeRead(reading.getKey()));
    }
    double load = current == null ? Double.NaN : safeRead(current);
    synchronized (lock) {
      long now = ticker.read();
      Map<Feature, Made> expired = new LinkedHashMap<>();
      boolean triggersMoved = false;
      for (Feature feature : all) {
        SettingStack.Setting before = feature.settings.inForce();
        if (feature.settings.expire(now) && !SettingStack.same(feature.settings.inForce(), before)) {
          expired.put(feature, new Made("expiry", SettingStack.fallback("expired: " + before.value(), feature.settings.inForce())));
        }
        for (int i = 0; i < feature.triggers.size(); i++) {
          Double value = readings.get(feature.triggers.get(i));
          double reading = value == null ? Double.NaN : value;
          boolean was = feature.firing[i];
          boolean fires = feature.triggers.get(i).fires(was, reading, now - feature.firingSince[i]);
          if (fires != was) {
            feature.firing[i] = fires;
            feature.firingSince[i] = now;
            triggersMoved |= feature.settings.inForce().value().kind() == Switch.Kind.AUTO;
          }
        }
      }
      if (!expired.isEmpty()) {
        publish("expiry", expired);
      }
      if (triggersMoved) {
        publish("auto", Map.of());
      }
      if (current != null && current == controller) {
        steer(current, load, now);
      }
    }
  }

  private static double safeRead(Trigger trigger) {
    try {
      return trigger.read();
    } catch (RuntimeException e) {
      LOG.warn("trigger '{}' could not be read; it counts as clear{}", LogText.of(trigger), LogText.trailingTrace(e));
      return Double.NaN;
    }
  }

  private static double safeRead(LevelController controller) {
    try {
      return controller.signal.read();
    } catch (RuntimeException e) {
      LOG.warn("load signal '{}' could not be read{}", LogText.of(controller.signal), LogText.trailingTrace(e));
      return Double.NaN;
    }
  }

  /** One step of the level controller: up after a sustained overload, down after a sustained calm. */
  private void steer(LevelController c, double load, long now) {
    if (load > c.target) {
      underSince = NEVER;
      if (overSince == NEVER) {
        overSince = now;
      } else if (now - overSince >= c.raiseAfterNanos && level < c.maxLevel) {
        overSince = now;
        changeLevel(level + 1, c.signal + " = " + load + ", over the target " + c.target, "controller");
      }
    } else if (load < c.lowerBelow) {
      overSince = NEVER;
      if (underSince == NEVER) {
        underSince = now;
      } else if (now - underSince >= c.lowerAfterNanos && level > 0) {
        underSince = now;
        changeLevel(level - 1, c.signal + " = " + load + ", under " + c.lowerBelow, "controller");
      }
    } else {
      overSince = NEVER;
      underSince = NEVER;
    }
  }

  @Override
  public void close() {
    if (refresher != null) {
      refresher.shutdownNow();
    }
    reads.shutdownNow();
    for (SwitchSource source : sources) {
      try {
        source.close();
      } catch (RuntimeException e) {
        LOG.warn("switch source {} failed to close{}", LogText.of(source.name()), LogText.trailingTrace(e));
      }
    }
  }

  // ---- what features and admissions read

  Object lock() {
    return lock;
  }

  Ticker ticker() {
    return ticker;
  }

  long threshold(int index) {
    return table.thresholds[index];
  }

  FeatureState state(int index) {
    return table.states[index];
  }

  String cause(int index) {
    String cause = table.states[index].cause();
    return cause == null ? "the feature is on" : cause;
  }

  FeatureDegradedException rejection(int index) {
    Table current = table;
    FeatureDegradedException rejection = current.rejections[index];
    return rejection != null ? rejection : new FeatureDegradedException(current.states[index].feature(), "it was switched back on");
  }

  /** The counter of calls of {@code feature} served by {@code strategy}, shared by every guard. */
  LongAdder degradedCounter(String feature, String strategy) {
    return counter(
        degradedCalls,
        feature + '\n' + strategy,
        "brownout.feature.degraded.calls",
        "Calls served a substitute because their feature was off",
        Tags.of("feature", feature, "strategy", strategy));
  }

  /** The counter kept in {@code counters} under {@code key}, made and bound to the runtime's registries once. */
  private LongAdder counter(Map<String, LongAdder> counters, String key, String meter, String description, Tags tags) {
    return counters.computeIfAbsent(
        key,
        k -> {
          LongAdder adder = new LongAdder();
          runtime.bindMeters(
              registry -> FunctionCounter.builder(meter, adder, LongAdder::sum).description(description).tags(tags).register(registry));
          return adder;
        });
  }

  void countSourceError(String source) {
    counter(sourceErrors, source, "brownout.switch.source.errors", "Failures of a switch source; its last good state is kept", Tags.of("source", source))
        .increment();
  }

  Instant now() {
    return wallBase.plusNanos(ticker.read() - tickBase);
  }

  // ---- changes, all under lock

  /** The feature named {@code name}, created with its missing ancestors if needed. */
  private Feature ensure(FeatureName name, Priority wanted) {
    Feature existing = byName.get(name.toString());
    if (existing != null) {
      return existing;
    }
    Feature parent = name.parent().map(p -> ensure(p, Priority.P0)).orElse(null);
    Priority priority = wanted;
    if (priority == null) {
      priority = parent != null && parent.priority.compareTo(Priority.P2) > 0 ? parent.priority : Priority.P2;
    }
    Feature feature = new Feature(this, all.size(), name, priority, parent);
    feature.settings = new SettingStack(now());
    all.add(feature);
    byName.put(name.toString(), feature);
    runtime.bindMeters(
        registry ->
            Gauge.builder("brownout.feature.state", feature, f -> f.state().enabledPercent() / 100.0)
                .description("The share of keys the feature is on for: 1 on, 0 off (degraded), between for a rollout")
                .tag("feature", name.toString())
                .register(registry));
    publish("default", Map.of());
    return feature;
  }

  /** A setting made at {@code tick}, its expiry fixed on the runtime's clock. */
  private SettingStack.Setting setting(SettingStack.Maker maker, String owner, Switch raw, String origin, long tick) {
    Instant at = wallBase.plusNanos(tick - tickBase);
    Switch value = raw.fixedAt(at);
    Instant expiresAt = value.until();
    return new SettingStack.Setting(maker, owner, raw, value, origin, at, expiresAt, expiresAt == null ? 0L : tickOf(expiresAt));
  }

  /**
   * {@code instant} on the ticker. A switch's expiry lies within a few centuries of now (the switch
   * bounds it), well inside the ±292 years of a long's nanoseconds; the clamp keeps that true later.
   */
  private long tickOf(Instant instant) {
    Duration ahead = Duration.between(wallBase, instant);
    long nanos = ahead.compareTo(HORIZON) > 0 ? HORIZON.toNanos() : ahead.compareTo(HORIZON.negated()) < 0 ? -HORIZON.toNanos() : ahead.toNanos();
    return tickBase + nanos;
  }

  /**
   * The audit entry for a feature whose setting {@code made} was just made by {@code source}: its own
   * cause if it is in force, else {@code ended} and what the feature fell back to.
   */
  private static Made made(Feature feature, SettingStack.Setting made, String source, String ended) {
    SettingStack.Setting now = feature.settings.inForce();
    return new Made(source, SettingStack.same(now, made) ? null : SettingStack.fallback(ended, now));
  }

  private void changeLevel(int newLevel, String reason, String source) {
    if (newLevel == level) {
      return;
    }
    int old = level;
    level = newLevel;
    record(new SwitchChange(now(), LEVEL, String.valueOf(old), String.valueOf(newLevel), null, reason, source), source);
    publish(source.equals("controller") ? "controller" : "level", Map.of());
  }

  /**
   * Recomputes every feature's effect, publishes it, and records each feature whose effect changed or
   * whose setting was just made ({@code assigned}).
   */
  private void publish(String source, Map<Feature, Made> assigned) {
    Table old = table;
    int n = all.size();
    long[] thresholds = new long[n];
    FeatureState[] states = new FeatureState[n];
    FeatureDegradedException[] rejections = new FeatureDegradedException[n];
    for (int i = 0; i < n; i++) {
      Feature feature = all.get(i);
      SettingStack.Setting setting = feature.settings.inForce();
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
          String firing = firingTrigger(feature);
          own = firing == null ? Feature.FULL : 0L;
          cause = firing == null ? null : "auto: " + firing;
        }
        default -> own = Feature.FULL;
      }
      if (own > 0 && feature.priority.isShedAt(level)) {
        own = 0L;
        cause = "brownout level " + level + " sheds " + feature.priority;
      }
      Feature parent = feature.parent();
      long effective = own;
      if (parent != null && thresholds[parent.index()] < own) {
        effective = thresholds[parent.index()];
        cause = "parent " + parent.name() + " is " + describe(effective) + ": " + states[parent.index()].cause();
      }
      thresholds[i] = effective;
      states[i] =
          new FeatureState(
              feature.name(),
              feature.priority,
              setting.value(),
              setting.origin(),
              setting.since(),
              setting.expiresAt(),
              percent(effective),
              describe(effective),
              effective == Feature.FULL ? null : cause);
      if (effective != Feature.FULL) {
        FeatureDegradedException before = i < old.rejections.length ? old.rejections[i] : null;
        rejections[i] =
            before != null && Objects.equals(old.states[i].cause(), states[i].cause())
                ? before
                : new FeatureDegradedException(feature.name(), states[i].cause());
      }
    }
    table = new Table(thresholds, states, rejections);
    for (int i = 0; i < n; i++) {
      FeatureState was = i < old.states.length ? old.states[i] : null;
      FeatureState now = states[i];
      Feature feature = all.get(i);
      Made made = assigned.get(feature);
      boolean set = made != null;
      if (was == null ? set : set || !was.effective().equals(now.effective())) {
        String cause =
            set && made.cause() != null
                ? made.cause()
                : now.cause() != null ? now.cause() : set && now.setting().reason() != null ? now.setting().reason() : backOn(source, feature);
        record(new SwitchChange(now(), now.feature(), was == null ? "ON" : was.effective(), now.effective(), now.setting(), cause, set ? made.source() : source), source);
      }
    }
  }

  /** Why a feature is on again when nobody gave a reason. */
  private String backOn(String source, Feature feature) {
    return switch (source) {
      case "auto" -> "auto: every trigger has cleared";
      case "level", "controller" -> "brownout level " + level + " no longer sheds " + feature.priority;
      default -> "on";
    };
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

  private static String firingTrigger(Feature feature) {
    for (int i = 0; i < feature.triggers.size(); i++) {
      if (feature.firing[i]) {
        return feature.triggers.get(i).description();
      }
    }
    return null;
  }

  private static double percent(long threshold) {
    return Math.round(threshold * 10_000.0 / Feature.FULL) / 100.0;
  }

  private static String describe(long threshold) {
    if (threshold == Feature.FULL) {
      return "ON";
    }
    if (threshold == 0L) {
      return "OFF";
    }
    double percent = percent(threshold);
    return "ROLLOUT " + (percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent)) + "%";
  }

  /**
   * Adds {@code change} to the history and counts it under {@code counted}: the source that delivered
   * it, which stays one tag value where the audit names each instance of a fleet.
   */
  private void record(SwitchChange change, String counted) {
    if (history.size() == historyLimit) {
      history.removeFirst();
    }
    history.addLast(change);
    counter(changes, counted, "brownout.feature.changes", "Changes of a feature's switch or effect, and of the brownout level", Tags.of("source", counted))
        .increment();
    LOG.info(
        "feature {} {} -> {} ({}) source={}",
        LogText.of(change.feature()),
        LogText.of(change.from()),
        LogText.of(change.to()),
        LogText.neutralise(change.cause(), LogText.MAX_MESSAGE_LENGTH),
        LogText.of(change.source()));
  }

  /**
   * A setting just made, or ended, for the audit: what made the change, and why, when the switch in
   * force does not say it (it fell back to another setting); null to let the switch say it.
   */
  private record Made(String source, String cause) {}

  /**
   * The reads of one source, each on a thread of {@code reads}, one at a time.
   *
   * <p>A source's read may block for ever (a switch file that became a FIFO blocks in open(2), which
   * no interrupt ends) or fail with an {@code Error} (reading {@code /dev/zero} into memory). Neither
   * may hold back the rest of the refresh, so the read runs apart from the evaluation; a read still
   * running when the next refresh comes is not started again (a source never holds more than one
   * thread), is counted once as an error when it overruns {@code brownout.features.sourceTimeout}
   * (real time: the bound is on I/O, not on the runtime's clock), and delivers when it ends. Any
   * throwable from a source is contained and counted: after an {@code OutOfMemoryError} from one giant
   * read, the memory it took is garbage again.
   */
  private final class SourceRead {
    final SwitchSource source;
    private final Sink sink;
    private volatile CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
    private volatile long startedAt;
    private volatile boolean reported;

    SourceRead(SwitchSource source, Sink sink) {
      this.source = source;
      this.sink = sink;
    }

    /** Starts {@code body} unless a read is still running; returns whether it started. */
    synchronized boolean begin(SourceBody body, String failure) {
      if (!running.isDone()) {
        return false;
      }
      CompletableFuture<Void> read = new CompletableFuture<>();
      startedAt = System.nanoTime();
      reported = false;
      running = read;
      try {
        reads.execute(
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                if (e instanceof InterruptedException) {
                  Thread.currentThread().interrupt();
                }
                sink.failed(failure + ": " + e, e);
              } finally {
                read.complete(null);
              }
            });
      } catch (RejectedExecutionException e) {
        read.complete(null);
        return false;
      }
      return true;
    }

    /** Waits for the running read until {@code deadline} ({@link System#nanoTime}), then reports it. */
    void await(long deadline) {
      try {
        running.get(Math.max(0L, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        reportIfLate(startedAt + sourceTimeoutNanos);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        throw new AssertionError("a source read completes normally", e);
      }
    }

    /** Counts a read running since before {@code now - sourceTimeout}, once per read. */
    synchronized void reportIfLate(long now) {
      if (!running.isDone() && !reported && now - startedAt >= sourceTimeoutNanos) {
        reported = true;
        sink.failed(
            "a read has not ended after " + Duration.ofNanos(sourceTimeoutNanos) + " (" + SOURCE_TIMEOUT_KEY
                + "); the source is not read again until it ends, and the other sources and expiries go on",
            null);
      }
    }
  }

  /** A source's start or poll. */
  private interface SourceBody {
    void run() throws Exception;
  }

  /** What readers see: one immutable view of every feature, replaced as a whole. */
  private static final class Table {
    final long[] thresholds;
    final FeatureState[] states;
    final FeatureDegradedException[] rejections;

    Table(long[] thresholds, FeatureState[] states, FeatureDegradedException[] rejections) {
      this.thresholds = thresholds;
      this.states = states;
      this.rejections = rejections;
    }
  }

  /**
   * The definition of one feature, applied by {@link #register()}. A feature can be defined once; one
   * that was only looked up before (or created as another's parent) takes the definition then.
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
     * The switch the feature has while no operator's setting stands (default ON); {@link Switch#auto()}
     * to follow the triggers. A switch a source or {@link Features#set} gave the feature before it was
     * defined stays in force.
     */
    public Definition initially(Switch setting) {
      this.initial = Settings.notNull("feature.initially", setting);
      return this;
    }

    /** Creates the feature, or gives this definition to one that was only looked up so far. */
    public Feature register() {
      if (priority == Priority.P0 && !triggers.isEmpty()) {
        throw Settings.invalid(
            "feature " + name + ".trigger", triggers, "cannot be set on a P0 feature: the core is never degraded automatically");
      }
      synchronized (lock) {
        Feature feature = byName.get(name.toString());
        if (feature != null && feature.declared) {
          throw new IllegalStateException("feature '" + name + "' is already defined; look it up with feature(name)");
        }
        Feature parent = name.parent().map(p -> byName.get(p.toString())).orElse(null);
        if (parent != null && parent.priority.compareTo(priority) > 0) {
          throw Settings.invalid(
              "feature " + name + ".priority",
              priority,
              "is more important than its parent " + parent.name() + " (" + parent.priority + "); a child is shed no later than its parent");
        }
        if (feature != null) {
          for (Feature other : all) {
            if (other != feature && other.featureName().isUnder(name) && other.priority.compareTo(priority) < 0) {
              throw Settings.invalid(
                  "feature " + name + ".priority",
                  priority,
                  "is less important than its child " + other.name() + " (" + other.priority + "); a child is shed no later than its parent");
            }
          }
          feature.priority = priority;
        } else {
          feature = ensure(name, priority);
        }
        feature.declared = true;
        feature.triggers = List.copyOf(triggers);
        feature.firing = new boolean[triggers.size()];
        feature.firingSince = new long[triggers.size()];
        Feature defined = feature;
        long tick = ticker.read();
        defined.settings.define(setting(SettingStack.Maker.DEFINITION, null, initial, "default", tick), tick);
        publish("default", Map.of());
        return defined;
      }
    }
  }

  /**
   * Where a source delivers its switches. Every delivery is checked whole before anything of it is
   * applied, then applied and published as one change, and only then remembered as applied: a
   * delivery is in force entirely or not at all.
   */
  private final class Sink implements SwitchSink {
    private final String source;

    Sink(String source) {
      this.source = source;
    }

    @Override
    public void replaceAll(Map<String, Switch> switches) {
      Map<String, Switch> copy = checked(switches);
      synchronized (lock) {
        long tick = ticker.read();
        Map<String, Switch> before = appliedBySource.getOrDefault(source, Map.of());
        Map<Feature, Made> made = new LinkedHashMap<>();
        for (Map.Entry<String, Switch> entry : copy.entrySet()) {
          if (!entry.getValue().equals(before.get(entry.getKey()))) {
            deliver(ensure(FeatureName.of(entry.getKey()), null), entry.getValue(), source, tick, made);
          }
        }
        for (String gone : before.keySet()) {
          Feature feature = byName.get(gone);
          SettingStack.Setting was = feature.settings.inForce();
          if (!copy.containsKey(gone) && feature.settings.withdraw(source) && !SettingStack.same(feature.settings.inForce(), was)) {
            made.put(feature, new Made(source, SettingStack.fallback("removed from " + source, feature.settings.inForce())));
          }
        }
        if (!made.isEmpty()) {
          publish(source, made);
        }
        appliedBySource.put(source, copy);
      }
    }

    @Override
    public void set(String feature, Switch setting) {
      Settings.notNull("switch for " + feature, setting);
      Feature target = feature(feature);
      Switch fixed;
      synchronized (lock) {
        long tick = ticker.read();
        Map<Feature, Made> made = new LinkedHashMap<>();
        fixed = deliver(target, setting, source, tick, made).value();
        if (!made.isEmpty()) {
          publish(source, made);
        }
      }
      offer(target, fixed, source);
    }

    @Override
    public void setAll(Map<String, Switch> changes, Map<String, String> origins) {
      Map<String, Switch> copy = checked(changes);
      synchronized (lock) {
        long tick = ticker.read();
        Map<Feature, Made> made = new LinkedHashMap<>();
        for (Map.Entry<String, Switch> entry : copy.entrySet()) {
          Feature feature = ensure(FeatureName.of(entry.getKey()), null);
          deliver(feature, entry.getValue(), origins.getOrDefault(entry.getKey(), source), tick, made);
        }
        if (!made.isEmpty()) {
          publish(source, made);
        }
      }
    }

    /** The delivery with its names checked, or an exception before anything of it is applied. */
    private Map<String, Switch> checked(Map<String, Switch> switches) {
      Map<String, Switch> copy = new LinkedHashMap<>();
      for (Map.Entry<String, Switch> entry : switches.entrySet()) {
        copy.put(FeatureName.of(entry.getKey()).toString(), Settings.notNull("switch for " + entry.getKey(), entry.getValue()));
      }
      return copy;
    }

    /** Gives the source's {@code setting} to {@code feature}, noting in {@code made} if that changed the setting in force. */
    private SettingStack.Setting deliver(Feature feature, Switch setting, String origin, long tick, Map<Feature, Made> made) {
      SettingStack.Setting was = feature.settings.inForce();
      SettingStack.Setting delivered = setting(SettingStack.Maker.SOURCE, source, setting, origin, tick);
      if (feature.settings.deliver(delivered, tick) && !SettingStack.same(feature.settings.inForce(), was)) {
        made.put(feature, made(feature, delivered, origin, "expired: " + delivered.value()));
      }
      return delivered;
    }

    @Override
    public void failed(String problem, Throwable cause) {
      countSourceError(source);
      LOG.error(
          "switch source {}: {}; its last good state is kept{}",
          LogText.of(source),
          LogText.neutralise(problem, LogText.MAX_MESSAGE_LENGTH),
          LogText.trailingTrace(cause));
    }
  }
}
