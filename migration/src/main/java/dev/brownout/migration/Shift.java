package dev.brownout.migration;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallCounts;
import dev.brownout.core.Guard;
import dev.brownout.core.LatencySnapshot;
import dev.brownout.core.Ticker;
import dev.brownout.core.internal.Settings;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a call from its old path to its new one in steps: a sticky, growing share of keys takes the
 * new path, judged against the old path in the same process and window at every {@link #check()},
 * rolled back by itself when the new path is worse, and promoted once every step passed.
 *
 * <pre>{@code
 * Shift<List<Comment>> shift = Shift.<List<Comment>>builder("comments-backend", brownout, features)
 *     .steps(1, 5, 10, 25, 50, 100)
 *     .build();
 * List<Comment> comments = shift.call(questionId, () -> oldStore.comments(questionId),
 *     () -> newStore.comments(questionId));
 * }</pre>
 *
 * <p>Design notes. The share is a feature switch: feature {@code shift-<name>} (P0, so a brownout
 * never flips traffic between the paths while they are judged) at ROLLOUT of the current step. So
 * the share is read like any switch (one volatile read and the key's salted hash), a key admitted
 * at one step is admitted at every larger one (the hash is compared with a growing threshold), and
 * every instance agrees on the share and on a rollback through the switch store: a step, a rollback
 * and a promotion are {@link Features#set} calls, which a shared store (Redis) passes to the whole
 * fleet, and which a restarted instance reads back, so it does not resume a rolled-back shift. A
 * new epoch is a new feature ({@code shift-<name>-e<epoch>}), so a new order of keys.
 *
 * <p>Life. A shift built with {@link Builder#compareFirst()} starts in {@link State#COMPARING}:
 * every key takes the old path (an {@link Experiment} may compare the new one beside it) until a
 * person calls {@link #start}. Then it is {@link State#SHIFTING} through its steps, {@link
 * State#PROMOTED} after the last, and {@link State#DONE} once the old path has had no call for
 * {@link Builder#retireAfter} (watched at each check, never on the call path): the old path is then
 * safe to delete. Every state lives in the switch, so the fleet and a restarted instance agree.
 *
 * <p>Each path runs through its own guard ({@code shift.<name>.old}, {@code shift.<name>.new}),
 * which counts its calls and failures and records its latency: what the judge compares, step by
 * step, from the counts and histograms as they were when the step began.
 */
public final class Shift<T> {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** Who the switch history names for the shift's own changes and for actions called in code. */
  static final String SELF = "shift";

  /** The reason a rolled-back shift's switch carries, so that any instance reads it back. */
  static final String ROLLED_BACK = "shift rolled back: ";

  /** The reason a paused shift's switch carries. */
  static final String PAUSED = "shift paused: ";

  /** The reason a shift's switch carries while every key takes the old path, before it starts. */
  static final String COMPARING = "shift comparing: ";

  /** The reason a finished shift's switch carries: the old path is safe to retire. */
  static final String DONE = "shift done: ";

  private static final Logger LOG = LoggerFactory.getLogger(Shift.class);

  /** Where a shift stands. */
  public enum State {
    /** Not started: every key takes the old path, while the new one is compared beside it. */
    COMPARING,
    /** A share of keys takes the new path, judged at every check. */
    SHIFTING,
    /** Held at its step by a person: checks decide nothing. */
    PAUSED,
    /** Every key takes the old path until a person resumes. */
    ROLLED_BACK,
    /** Every key takes the new path; the old one is watched for calls. */
    PROMOTED,
    /** Promoted, and the old path has had no call for the set time: it is safe to retire. */
    DONE
  }

  private final String name;
  private final Features features;
  private final Feature feature;
  private final double[] steps;
  private final ShiftCriteria criteria;
  private final ShiftJudge judge;
  private final Guard oldArm;
  private final Guard newArm;
  private final boolean fallBackToOld;
  private final LongAdder fellBack = new LongAdder();
  private final int epoch;
  private final ShiftMeters meters;
  private final Ticker ticker;
  private final long retireAfterNanos;

  /** The old path's use (calls and fallbacks) at the last check of a promoted shift, and when. */
  private long oldUse = -1;

  private long oldUseChangedAt;

  private volatile State state;
  private int step;
  private CallCounts oldBase;
  private CallCounts newBase;
  private LatencySnapshot oldLatencyBase;
  private LatencySnapshot newLatencyBase;

  private Shift(Builder<T> b) {
    this.name = b.name;
    this.features = b.features;
    this.steps = b.steps;
    this.criteria = b.criteria;
    this.judge = new ShiftJudge(b.criteria);
    this.fallBackToOld = b.fallBackToOld;
    this.epoch = b.epoch;
    this.ticker = b.runtime.ticker();
    this.retireAfterNanos = b.retireAfter.toNanos();
    Shifts shifts = Shifts.of(b.runtime);
    if (shifts.find(name).isPresent()) {
      // Its guards are the shift's evidence: a second shift of the name would share none of it.
      throw new IllegalStateException(
          "a shift named '"
              + name
              + "' was built on this runtime already: build one per name and share it");
    }
    this.oldArm = b.runtime.guard("shift." + name + ".old").recordLatency(true).build();
    this.newArm = b.runtime.guard("shift." + name + ".new").recordLatency(true).build();
    String featureName = "shift-" + name + (b.epoch == 0 ? "" : "-e" + b.epoch);
    this.feature =
        features.all().stream().anyMatch(f -> f.name().equals(featureName))
            ? features.feature(featureName)
            : features
                .define(featureName)
                .priority(Priority.P0)
                .initially(
                    b.compareFirst
                        ? Switch.off(COMPARING + "shift created")
                        : Switch.rollout(steps[0]).because("shift started"))
                .register();
    this.state = resumeFrom(feature.state());
    rebase();
    this.meters = new ShiftMeters(name, oldArm, newArm, feature, fellBack);
    b.runtime.bindMeters(meters);
    shifts.register(this);
    if (b.checkEvery != null) {
      shifts.schedule(this, b.checkEvery);
    }
  }

  /**
   * The shift named {@code name} built on {@code runtime}, if any: for code that did not build it,
   * such as an operator's page, or a class the processor generated for {@code @ShiftTo}.
   */
  public static Optional<Shift<?>> find(Brownout runtime, String name) {
    return Shifts.of(Settings.notNull("shift.runtime", runtime)).find(name);
  }

  /** Every shift built on {@code runtime}, by name. */
  public static List<Shift<?>> all(Brownout runtime) {
    return Shifts.of(Settings.notNull("shift.runtime", runtime)).all();
  }

  /**
   * Where a shift stands from its switch, as this or another instance left it: OFF with the
   * rollback's reason is rolled back (and stays so), ON is promoted, a ROLLOUT is the largest step
   * it reached.
   */
  private State resumeFrom(FeatureState current) {
    Switch setting = current.setting();
    String reason = setting.reason() == null ? "" : setting.reason();
    if (setting.kind() == Switch.Kind.OFF) {
      return reason.startsWith(ROLLED_BACK)
          ? State.ROLLED_BACK
          : reason.startsWith(COMPARING) ? State.COMPARING : State.PAUSED;
    }
    if (setting.kind() == Switch.Kind.ON) {
      step = steps.length - 1;
      return reason.startsWith(DONE) ? State.DONE : State.PROMOTED;
    }
    step = 0;
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] <= setting.percent()) {
        step = i;
      }
    }
    return reason.startsWith(PAUSED) ? State.PAUSED : State.SHIFTING;
  }

  /**
   * Reads the switch again before acting on it: another instance (or an operator) may have stepped,
   * paused, rolled back or promoted the shift since. A step that moved starts afresh.
   */
  private void sync() {
    int stepBefore = step;
    State stateBefore = state;
    state = resumeFrom(feature.state());
    if (step != stepBefore || state != stateBefore) {
      judge.resume(); // a decision taken elsewhere: this instance's looks start again too
      rebase();
    }
  }

  /**
   * A shift named {@code name} (lower-case words and hyphens) of {@code runtime}'s calls, its share
   * kept in {@code features}.
   */
  public static <T> Builder<T> builder(String name, Brownout runtime, Features features) {
    return new Builder<>(name, runtime, features);
  }

  /**
   * Calls the path {@code key} is routed to: the new one if its share admits the key, the old one
   * otherwise. The caller gets the path's value or exception; with {@link
   * Builder#fallBackToOld(boolean)}, a failed new path is followed by the old one (for reads), and
   * counted.
   */
  public T call(Object key, Callable<T> oldPath, Callable<T> newPath) throws Exception {
    return routesToNew(key) ? callNew(oldPath, newPath) : oldArm.call(oldPath);
  }

  /** {@link #call(Object, Callable, Callable)} for a numeric key, without boxing; routes alike. */
  public T call(long key, Callable<T> oldPath, Callable<T> newPath) throws Exception {
    return routesToNew(key) ? callNew(oldPath, newPath) : oldArm.call(oldPath);
  }

  /**
   * Whether {@link #call(Object, Callable, Callable)} would route {@code key} to the new path now:
   * for a log line or a response header saying which path served. Counts nothing; a call routed by
   * it alone is not judged.
   */
  public boolean routesToNew(Object key) {
    return feature.isEnabled(key);
  }

  /** {@link #routesToNew(Object)} for a numeric key, without boxing. */
  public boolean routesToNew(long key) {
    return feature.isEnabled(key);
  }

  private T callNew(Callable<T> oldPath, Callable<T> newPath) throws Exception {
    if (!fallBackToOld) {
      return newArm.call(newPath);
    }
    try {
      return newArm.call(newPath);
    } catch (Exception failed) {
      fellBack.increment();
      return oldPath.call();
    }
  }

  /**
   * Judges the new path on what both paths did since the step began, and acts on the decision: the
   * next step, a promotion after the last, or a rollback. Call it on a schedule (say every 30
   * seconds); returns null when the shift is not shifting. On a promoted shift it watches the old
   * path instead, and finishes the shift once the old path has had no call for {@link
   * Builder#retireAfter}.
   */
  public synchronized @Nullable ShiftDecision check() {
    sync();
    if (state == State.PROMOTED) {
      watchOldPath();
      return null;
    }
    if (state != State.SHIFTING) {
      return null;
    }
    ShiftDecision decision = judge.judge(look());
    meters.decided(decision.kind());
    if (decision.kind() == ShiftDecision.Kind.ROLLBACK) {
      LOG.warn("shift '{}': {}", name, decision.describe());
    } else if (decision.kind() == ShiftDecision.Kind.ADVANCE) {
      LOG.info("shift '{}': {}", name, decision.describe());
    } else {
      LOG.debug("shift '{}': {}", name, decision.describe());
    }
    switch (decision.kind()) {
      case ADVANCE -> {
        if (step + 1 >= steps.length || steps[step + 1] >= 100) {
          promote("every step passed");
        } else {
          step++;
          features.set(
              feature.name(),
              Switch.rollout(steps[step]).because("shift stepped: " + decision.reason()),
              SELF);
          rebase();
        }
      }
      case ROLLBACK -> rollBack(decision.reason());
      case HOLD, CONTINUE -> {
        // nothing changes
      }
    }
    return decision;
  }

  private ShiftLook look() {
    CallCounts oldNow = oldArm.counts();
    CallCounts newNow = newArm.counts();
    long oldCalls = calls(oldNow) - calls(oldBase);
    long newCalls = calls(newNow) - calls(newBase);
    return new ShiftLook(
        oldCalls,
        errors(oldNow) - errors(oldBase),
        quantile(oldArm.latency().minus(oldLatencyBase)),
        newCalls,
        errors(newNow) - errors(newBase),
        quantile(newArm.latency().minus(newLatencyBase)));
  }

  private long quantile(LatencySnapshot window) {
    return window.count() == 0 ? 0 : window.percentile(criteria.latencyQuantile()).toNanos();
  }

  /**
   * Finishes a promoted shift once its old path has had no call (nor fallback) for the set time:
   * the old path's use is compared between checks, so the call path reads no clock for it.
   */
  private void watchOldPath() {
    long use = calls(oldArm.counts()) + fellBack.sum();
    long now = ticker.read();
    if (use != oldUse) {
      oldUse = use;
      oldUseChangedAt = now;
    } else if (now - oldUseChangedAt >= retireAfterNanos) {
      String why = "the old path had no call for " + Duration.ofNanos(retireAfterNanos);
      features.set(feature.name(), Switch.on().because(DONE + why), SELF);
      state = State.DONE;
      LOG.info("shift '{}': done, {}; it is safe to retire", name, why);
    }
  }

  static long calls(CallCounts counts) {
    return counts.success() + counts.failure() + counts.timeout();
  }

  static long errors(CallCounts counts) {
    return counts.failure() + counts.timeout();
  }

  /** The step starts: what both paths did so far is no longer this step's evidence. */
  private void rebase() {
    oldBase = oldArm.counts();
    newBase = newArm.counts();
    oldLatencyBase = oldArm.latency();
    newLatencyBase = newArm.latency();
  }

  /** Sends every key back to the old path until {@link #resume}, on every instance. */
  public void rollBack(String reason) {
    rollBack(reason, SELF);
  }

  /**
   * {@link #rollBack(String)}, recorded in the switch history as made {@code by} someone (such as
   * {@code "admin"}) rather than by the shift itself.
   */
  public synchronized void rollBack(String reason, String by) {
    features.set(feature.name(), Switch.off(ROLLED_BACK + reason), by);
    state = State.ROLLED_BACK;
    LOG.warn("shift '{}': rolled back at {}% by {}: {}", name, steps[step], by, reason);
  }

  /** Holds the share where it is: checks decide nothing until {@link #resume}. */
  public void pause(String reason) {
    pause(reason, SELF);
  }

  /** {@link #pause(String)}, recorded as made {@code by} someone. */
  public synchronized void pause(String reason, String by) {
    sync();
    if (state == State.SHIFTING) {
      features.set(feature.name(), Switch.rollout(steps[step]).because(PAUSED + reason), by);
      state = State.PAUSED;
      LOG.info("shift '{}': paused at {}% by {}: {}", name, steps[step], by, reason);
    }
  }

  /**
   * Starts a shift that is {@link State#COMPARING}: the first step's share of keys takes the new
   * path.
   *
   * @throws IllegalStateException if the shift is not comparing
   */
  public void start(String reason) {
    start(reason, SELF);
  }

  /**
   * {@link #start(String)}, recorded as made {@code by} someone.
   *
   * @throws IllegalStateException if the shift is not comparing
   */
  public synchronized void start(String reason, String by) {
    sync();
    if (state != State.COMPARING) {
      throw new IllegalStateException(
          "shift '" + name + "' is " + state + ", not COMPARING: resume or promote it instead");
    }
    features.set(feature.name(), Switch.rollout(steps[0]).because("shift started: " + reason), by);
    step = 0;
    state = State.SHIFTING;
    judge.resume();
    rebase();
    LOG.info("shift '{}': started at {}% by {}: {}", name, steps[0], by, reason);
  }

  /**
   * Shifts again from the current step, with fresh evidence: after a pause, or after a rollback
   * that a person has looked into.
   */
  public void resume(String reason) {
    resume(reason, SELF);
  }

  /** {@link #resume(String)}, recorded as made {@code by} someone. */
  public synchronized void resume(String reason, String by) {
    features.set( // first: it checks the reason and who acts before anything changes
        feature.name(), Switch.rollout(steps[step]).because("shift resumed: " + reason), by);
    judge.resume();
    state = State.SHIFTING;
    rebase();
    LOG.info("shift '{}': resumed at {}% by {}: {}", name, steps[step], by, reason);
  }

  /**
   * Sends every key to the new path; the old path is then watched for calls (see {@link #check}).
   */
  public void promote(String reason) {
    promote(reason, SELF);
  }

  /** {@link #promote(String)}, recorded as made {@code by} someone. */
  public synchronized void promote(String reason, String by) {
    features.set(feature.name(), Switch.on().because("shift promoted: " + reason), by);
    step = steps.length - 1;
    state = State.PROMOTED;
    oldUse = -1;
    LOG.info("shift '{}': promoted by {}: {}", name, by, reason);
  }

  /** Whether the old path is safe to retire: the shift is {@link State#DONE}. */
  public boolean safeToRetire() {
    return state == State.DONE;
  }

  /** Where the shift stands, with this step's numbers; built on each call. */
  public synchronized ShiftStatus status() {
    sync();
    CallCounts oldNow = oldArm.counts();
    CallCounts newNow = newArm.counts();
    List<ShiftDecision> history = judge.history();
    return new ShiftStatus(
        name,
        state,
        step,
        share(),
        epoch,
        history.isEmpty() ? null : history.get(history.size() - 1),
        calls(oldNow) - calls(oldBase),
        errors(oldNow) - errors(oldBase),
        calls(newNow) - calls(newBase),
        errors(newNow) - errors(newBase),
        fellBack.sum(),
        state == State.DONE);
  }

  public String name() {
    return name;
  }

  public State state() {
    return state;
  }

  /** The share of keys routed to the new path now, in percent. */
  public double share() {
    return feature.state().enabledPercent();
  }

  /** The judge's decisions so far, oldest first, with their numbers. */
  public List<ShiftDecision> decisions() {
    return judge.history();
  }

  /** The calls that fell back to the old path after the new one failed. */
  public long fellBack() {
    return fellBack.sum();
  }

  /** A {@link Shift} builder; get one from {@link Shift#builder}. */
  public static final class Builder<T> {
    private final String name;
    private final Brownout runtime;
    private final Features features;
    private double[] steps = {1, 5, 10, 25, 50, 100};
    private ShiftCriteria criteria = ShiftCriteria.defaults();
    private boolean fallBackToOld;
    private int epoch;
    private boolean compareFirst;
    private Duration retireAfter = Duration.ofHours(1);
    private @Nullable Duration checkEvery;

    private Builder(String name, Brownout runtime, Features features) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw Settings.invalid(
            "shift.name",
            name == null ? null : "'" + name + "'",
            "must be lower-case words joined by hyphens, such as 'comments-backend'");
      }
      this.name = name;
      this.runtime = Settings.notNull("shift.runtime", runtime);
      this.features = Settings.notNull("shift.features", features);
    }

    /** The shares of keys, in percent, each step routes to the new path: rising, up to 100. */
    public Builder<T> steps(double... percents) {
      if (percents == null || percents.length == 0) {
        throw Settings.invalid("shift.steps", "none", "must name at least one step");
      }
      for (int i = 0; i < percents.length; i++) {
        Switch.rollout(percents[i]); // the same rule as a switch's share, with the same message
        if (!(percents[i] > 0) || (i > 0 && percents[i] <= percents[i - 1])) {
          throw Settings.invalid(
              "shift.steps", Arrays.toString(percents), "must rise from above 0 to at most 100");
        }
      }
      this.steps = percents.clone();
      return this;
    }

    /** What the judge holds the new path to (see {@link ShiftCriteria}). */
    public Builder<T> criteria(ShiftCriteria value) {
      this.criteria = Settings.notNull("shift.criteria", value);
      return this;
    }

    /** Whether a failed new path is followed by the old one (for reads: safe to do twice). */
    public Builder<T> fallBackToOld(boolean value) {
      this.fallBackToOld = value;
      return this;
    }

    /** A new epoch orders keys afresh: other users go first. */
    public Builder<T> epoch(int value) {
      if (value < 0) {
        throw Settings.invalid("shift.epoch", value, "must be zero or more");
      }
      this.epoch = value;
      return this;
    }

    /**
     * Starts the shift {@link State#COMPARING}: every key on the old path until {@link
     * Shift#start}. Without it the shift starts at its first step.
     */
    public Builder<T> compareFirst() {
      this.compareFirst = true;
      return this;
    }

    /**
     * Checks the shift every {@code value} on a thread of the runtime (one for all its shifts), so
     * that nothing else need call {@link Shift#check()}; without it, the service calls {@code
     * check()} on a schedule of its own. A check that throws is logged and the next runs as
     * planned.
     */
    public Builder<T> checkEvery(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw Settings.invalid("shift.checkEvery", value, "must be a positive duration");
      }
      this.checkEvery = value;
      return this;
    }

    /**
     * How long a promoted shift's old path must go without a call before the shift is {@link
     * State#DONE} and the old path safe to retire (default 1 hour).
     */
    public Builder<T> retireAfter(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw Settings.invalid("shift.retireAfter", value, "must be a positive duration");
      }
      this.retireAfter = value;
      return this;
    }

    public Shift<T> build() {
      return new Shift<>(this);
    }
  }
}
