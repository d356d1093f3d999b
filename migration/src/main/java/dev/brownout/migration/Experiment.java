package dev.brownout.migration;

import dev.brownout.core.Brownout;
import dev.brownout.core.Ticker;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.internal.Settings;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Runs a new implementation of a call (the candidate) beside the old one (the control) on live
 * traffic and judges each pair, while the caller always gets the control's value or exception, the
 * same instance. Built once per call site; sampled through its {@link Feature}'s switch, so a
 * switch file or Redis turns it up (ROLLOUT %), down or OFF.
 *
 * <pre>{@code
 * Feature feature = features.define("comments.v2-store").priority(Priority.P4)
 *     .initially(Switch.rollout(5)).register();
 * Experiment<List<Comment>> experiment = Experiment.<List<Comment>>builder(brownout, feature)
 *     .timeout(Duration.ofMillis(200))
 *     .publisher(result -> log.info("{}", result))
 *     .build();
 * List<Comment> comments = experiment.run(postId, () -> oldStore.comments(postId), () -> newStore.comments(postId));
 * }</pre>
 *
 * <p>A sampled call runs the control on the caller's thread, then hands the candidate to a bounded
 * executor lane and returns: the caller never waits for the candidate, never runs the comparison,
 * and never sees what either does. When the lane has no idle room, or the brownout level (or a
 * parent, or a trigger) has turned the feature off, the candidate is {@link Verdict#SKIPPED}, never
 * queued. A call the switch does not sample costs two volatile reads (and a random draw or the
 * key's hash under a partial rollout): no allocation, no clock read.
 */
public final class Experiment<T> {

  /*
   * Design notes
   *
   * Sequential, not parallel. The candidate starts when the control has ended, on the lane. Started
   * together, whichever ended last would have to judge, and that would sometimes be the caller's
   * thread running user hooks (compare, clean, the publisher). Started after, the caller's share of
   * a sampled call is two clock reads and one submission. The price: the candidate reads the data a
   * moment later, so a write in between shows as a difference (an ignore rule can excuse it).
   *
   * Sampling without a key. A ROLLOUT switch admits keys by a salted hash; a call with no key draws
   * a random long as its key, which samples the same share of calls. Without allocation or a clock:
   * ThreadLocalRandom, the feature's volatile table, and on the unsampled branch its state (a
   * record already built when the switch changed). The state tells a switch that samples nobody
   * (OFF, 0%) from a feature that is shed (by the level, a parent or a trigger): only the latter
   * ends in SKIPPED results, for the share of calls its own switch would have sampled.
   *
   * In the candidate. A thread-local flag, set while a candidate runs, lets adapters refuse writes
   * on the new path. It is set on the lane's workers (and on the caller's thread only when the
   * builder runs candidates there), never on the plain call's path.
   */

  /** The system property that turns test mode on for every experiment built afterwards. */
  public static final String TEST_MODE_PROPERTY = "brownout.experiment.testMode";

  private static final ThreadLocal<Boolean> IN_CANDIDATE = ThreadLocal.withInitial(() -> false);

  /** How long test mode waits for a candidate beyond its timeout before it gives up. */
  private static final long TEST_WAIT_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Feature feature;

  /** The last state of the feature an unsampled call looked at; see {@link Shedding}. */
  private Shedding shedding;

  private final @Nullable BoundedExecutor lane;
  private final @Nullable BooleanSupplier runIf;
  private final boolean testMode;

  /** The share of sampled calls that also run the old path a second time; 0 without noise. */
  private final double noiseShare;

  final long timeoutNanos;
  final Ticker ticker;
  final Experiments experiments;
  final Judge<T> judge;

  private Experiment(Builder<T> b, Experiments experiments) {
    this.feature = b.feature;
    this.shedding = new Shedding(feature.state());
    this.lane = b.onCallerThread ? null : b.lane != null ? b.lane : experiments.defaultLane();
    this.runIf = b.runIf;
    this.testMode = b.testMode;
    this.noiseShare = b.noiseShare;
    this.timeoutNanos = b.timeout.toNanos();
    this.ticker = b.runtime.ticker();
    this.experiments = experiments;
    ExperimentMeters meters = new ExperimentMeters(feature.name());
    this.judge =
        new Judge<>(
            feature.name(),
            meters,
            b.compare,
            b.compareErrors,
            List.copyOf(b.ignores),
            b.clean,
            b.publisher,
            Collections.unmodifiableMap(new LinkedHashMap<>(b.context)),
            ticker,
            b.mismatchLogInterval.toNanos(),
            b.keepValues,
            b.noiseShare > 0 ? new Noise(feature.name(), b.keepValues) : null);
    b.runtime.bindMeters(meters);
  }

  /**
   * Starts an experiment named after {@code feature}, which samples it: ON runs the candidate on
   * every call, ROLLOUT on a share of calls (of keys, for {@link #run(Object, Arm, Arm)}), OFF on
   * none; its priority decides at which brownout level the experiment is shed.
   */
  public static <T> Builder<T> builder(Brownout runtime, Feature feature) {
    return new Builder<>(runtime, feature);
  }

  /** Whether the current thread is running an experiment's candidate. */
  public static boolean inCandidate() {
    return IN_CANDIDATE.get();
  }

  static void enterCandidate() {
    IN_CANDIDATE.set(true);
  }

  static void leaveCandidate() {
    // Set, not removed: a lane's worker keeps its entry instead of making one per candidate.
    IN_CANDIDATE.set(false);
  }

  /**
   * What noise cancellation has found so far, path by path; built on each call of this method.
   *
   * @throws IllegalStateException if the experiment was built without {@link Builder#noise}
   */
  public ExperimentReport report() {
    Noise noise = judge.noise;
    if (noise == null) {
      throw new IllegalStateException(
          "experiment '" + name() + "' has no noise cancellation: build it with noise(share)");
    }
    return noise.report();
  }

  /**
   * The experiment built on {@code runtime} for the feature named {@code name}, if any: for code
   * that did not build it, such as an operator's page.
   */
  public static Optional<Experiment<?>> find(Brownout runtime, String name) {
    return Experiments.of(Settings.notNull("experiment.runtime", runtime)).find(name);
  }

  /** Every experiment built on {@code runtime}, by name. */
  public static List<Experiment<?>> all(Brownout runtime) {
    return Experiments.of(Settings.notNull("experiment.runtime", runtime)).all();
  }

  /** The feature that samples the experiment. */
  public Feature feature() {
    return feature;
  }

  /** The calls judged so far, per verdict (every verdict, zero included), as the meters count. */
  public Map<Verdict, Long> verdicts() {
    Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      counts.put(verdict, judge.meters.verdicts(verdict));
    }
    return Collections.unmodifiableMap(counts);
  }

  /** Whether the experiment runs the old path twice on a share of calls: see {@link #report()}. */
  public boolean cancelsNoise() {
    return judge.noise != null;
  }

  /** The experiment's name: its feature's. */
  public String name() {
    return feature.name();
  }

  /**
   * Runs {@code control} and returns its value or throws its exception, unchanged; on a sampled
   * call, also runs {@code candidate} as the class describes. Calls are sampled at random in the
   * feature's ROLLOUT share.
   */
  public <E extends Exception> @Nullable T run(
      Arm<? extends T, E> control, Arm<? extends T, ?> candidate) throws E {
    FeatureState state = feature.state();
    double percent = state.enabledPercent();
    if (percent >= 100.0
        || (percent > 0.0 && feature.isEnabled(ThreadLocalRandom.current().nextLong()))) {
      return sampled(control, candidate);
    }
    if (shed(state)) {
      return skipped(control, feature.state().cause());
    }
    return control.call();
  }

  /**
   * {@link #run(Arm, Arm)} sampled by {@code key} (a user, tenant or session id): under a ROLLOUT
   * the same key is always in or out, on every instance, as for {@link Feature#isEnabled(Object)}.
   */
  public <E extends Exception> @Nullable T run(
      @Nullable Object key, Arm<? extends T, E> control, Arm<? extends T, ?> candidate) throws E {
    if (feature.isEnabled(key)) {
      return sampled(control, candidate);
    }
    if (shed(feature.state())) {
      return skipped(control, feature.state().cause());
    }
    return control.call();
  }

  /** {@link #run(Object, Arm, Arm)} for a numeric key, without boxing. */
  public <E extends Exception> @Nullable T run(
      long key, Arm<? extends T, E> control, Arm<? extends T, ?> candidate) throws E {
    if (feature.isEnabled(key)) {
      return sampled(control, candidate);
    }
    if (shed(feature.state())) {
      return skipped(control, feature.state().cause());
    }
    return control.call();
  }

  /**
   * Whether an unsampled call was one the feature's own switch would have sampled, had the level, a
   * parent or a trigger not turned the feature off. Drawn at random in the switch's share: the hash
   * that placed a key is not the feature's to show.
   */
  // Identity on purpose: each published change makes new states; equal ones need no new work.
  @SuppressWarnings("ReferenceEquality")
  private boolean shed(FeatureState state) {
    Shedding known = shedding;
    if (known.state != state) {
      known = new Shedding(state);
      shedding = known;
    }
    return known.shed && ThreadLocalRandom.current().nextDouble(100.0) < known.ownPercent;
  }

  /**
   * What one published state of the feature means for unsampled calls, worked out once per state
   * rather than per call. Immutable (final fields), so a plain field can hold it: a thread that
   * sees a stale one works it out again.
   */
  private static final class Shedding {
    final FeatureState state;
    final double ownPercent;
    final boolean shed;

    Shedding(FeatureState state) {
      this.state = state;
      Switch setting = state.setting();
      this.ownPercent =
          switch (setting.kind()) {
            case OFF -> 0.0;
            case ROLLOUT -> setting.percent();
            default -> 100.0;
          };
      this.shed = state.enabledPercent() < ownPercent;
    }
  }

  private <E extends Exception> @Nullable T skipped(
      Arm<? extends T, E> control, @Nullable String why) throws E {
    long start = ticker.read();
    T value;
    try {
      value = control.call();
    } catch (Throwable t) {
      judge.skipped(null, t, ticker.read() - start, "feature is off: " + why);
      throw t;
    }
    judge.skipped(value, null, ticker.read() - start, "feature is off: " + why);
    return value;
  }

  private <E extends Exception> @Nullable T sampled(
      Arm<? extends T, E> control, Arm<? extends T, ?> candidate) throws E {
    String refused = runIf != null && !judge.admits(runIf) ? "runIf said no" : null;
    long start = ticker.read();
    T value;
    try {
      value = control.call();
    } catch (Throwable t) {
      afterControl(control, candidate, null, t, ticker.read() - start, refused);
      throw t;
    }
    afterControl(control, candidate, value, null, ticker.read() - start, refused);
    return value;
  }

  /**
   * Hands the candidate over once the control has ended. Throws nothing, except the assertion of
   * test mode.
   */
  private void afterControl(
      Arm<? extends T, ?> control,
      Arm<? extends T, ?> candidate,
      @Nullable T value,
      @Nullable Throwable error,
      long controlNanos,
      @Nullable String refused) {
    if (refused != null) {
      judge.skipped(value, error, controlNanos, refused);
      return;
    }
    Trial<T> trial = new Trial<>(this, candidate, value, error, controlNanos, testMode);
    if (lane == null) {
      trial.runInline();
    } else {
      try {
        trial.task(lane.submit(name(), trial));
      } catch (RejectedExecutionException full) {
        judge.skipped(
            value, error, controlNanos, Objects.toString(full.getMessage(), "lane is full"));
        return;
      }
    }
    if (error == null && noiseShare > 0 && ThreadLocalRandom.current().nextDouble() < noiseShare) {
      sampleNoise(control, value);
    }
    if (testMode) {
      assertMatched(trial);
    }
  }

  /**
   * Runs the old path a second time for a noise sample, after the candidate was handed over: on the
   * lane when it has room (else the sample is lost, never queued), on the caller's thread only for
   * an experiment that runs its candidates there.
   */
  private void sampleNoise(Arm<? extends T, ?> control, @Nullable T first) {
    NoiseTrial<T> trial = new NoiseTrial<>(this, control, first);
    if (lane == null) {
      trial.call();
      return;
    }
    try {
      trial.task(lane.submit(name(), trial));
    } catch (RejectedExecutionException full) {
      trial.lost();
    }
  }

  private void assertMatched(Trial<T> trial) {
    Result<T> result;
    try {
      result =
          Objects.requireNonNull(trial.judged)
              .get(timeoutNanos + TEST_WAIT_MARGIN_NANOS, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(
          "experiment '" + name() + "': interrupted waiting for the candidate", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("experiment '" + name() + "': the candidate was never judged", e);
    }
    if (result.verdict() == Verdict.MISMATCH) {
      throw new AssertionError(
          "experiment '"
              + name()
              + "' MISMATCH: "
              + result.reason()
              + "\n"
              + Diff.of(
                  shown(result.controlValue(), result.controlError()),
                  shown(result.candidateValue(), result.candidateError())));
    }
  }

  private static @Nullable Object shown(@Nullable Object value, @Nullable Throwable error) {
    return error == null ? value : "threw " + Judge.describe(error);
  }

  @Override
  public String toString() {
    return "Experiment[" + name() + "]";
  }

  /**
   * One path of an experiment: the old implementation or the new one, as a lambda. Its exception
   * type lets {@link #run} rethrow the control's checked exception as it is.
   *
   * @param <T> what the path returns
   * @param <E> what it may throw
   */
  @FunctionalInterface
  public interface Arm<T, E extends Exception> {
    @Nullable T call() throws E;
  }

  /**
   * The settings of an {@link Experiment}. Every setting has a default: the candidate runs on the
   * runtime's shared experiment lane (two workers, no queue) with a timeout of one second, values
   * compare with {@link Objects#equals}, exceptions by class and message.
   */
  public static final class Builder<T> {
    private final Brownout runtime;
    private final Feature feature;
    private @Nullable BoundedExecutor lane;
    private boolean onCallerThread;
    private Duration timeout = Duration.ofSeconds(1);
    private BiPredicate<? super @Nullable T, ? super @Nullable T> compare = Objects::equals;
    private BiPredicate<Throwable, Throwable> compareErrors =
        (a, b) -> a.getClass() == b.getClass() && Objects.equals(a.getMessage(), b.getMessage());
    private final List<BiPredicate<? super @Nullable T, ? super @Nullable T>> ignores =
        new ArrayList<>();
    private @Nullable UnaryOperator<@Nullable T> clean;
    private @Nullable BooleanSupplier runIf;
    private final Map<String, Object> context = new LinkedHashMap<>();
    private @Nullable Consumer<? super Result<T>> publisher;
    private Duration mismatchLogInterval = Duration.ofSeconds(10);
    private boolean testMode = Boolean.getBoolean(TEST_MODE_PROPERTY);
    private double noiseShare;
    private boolean keepValues;

    private Builder(Brownout runtime, Feature feature) {
      this.runtime = Settings.notNull("experiment.runtime", runtime);
      this.feature = Settings.notNull("experiment.feature", feature);
      if (Features.of(runtime).feature(feature.name()) != feature) {
        throw Settings.invalid(
            "experiment.feature", feature.name(), "must be a feature of the experiment's runtime");
      }
    }

    /**
     * The executor, or a partition of one ({@code executor.partition("experiments")}), that runs
     * the candidates. A candidate that finds no room there is skipped: give it no queue (or a short
     * one) so that a candidate never waits long to start; the timeout counts from its start.
     */
    public Builder<T> lane(BoundedExecutor executor) {
      this.lane = Settings.notNull("experiment.lane", executor);
      return this;
    }

    /**
     * Runs the candidate on the caller's thread, after the control: the caller waits for it and for
     * the judging. For tests and for candidates too cheap to hand over; the timeout then cannot
     * stop the candidate, only judge it {@link Verdict#CANDIDATE_TIMEOUT} once it has run.
     */
    public Builder<T> onCallerThread() {
      this.onCallerThread = true;
      return this;
    }

    /** How long a candidate may run (default 1 s); past it the candidate is interrupted. */
    public Builder<T> timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw Settings.invalid("experiment.timeout", timeout, "must be a positive duration");
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * How the values of both paths compare (default {@link Objects#equals}). If it throws, the call
     * is a {@link Verdict#MISMATCH} (the values were not shown equal) and the failure is counted.
     */
    public Builder<T> compare(BiPredicate<? super @Nullable T, ? super @Nullable T> compare) {
      this.compare = Settings.notNull("experiment.compare", compare);
      return this;
    }

    /**
     * How the exceptions of both paths compare when both throw (default: the same class and the
     * same message).
     */
    public Builder<T> compareErrors(BiPredicate<Throwable, Throwable> compareErrors) {
      this.compareErrors = Settings.notNull("experiment.compareErrors", compareErrors);
      return this;
    }

    /**
     * A rule that excuses a known difference between the values (control first): asked only when
     * both paths returned and the values differ; true makes the call {@link Verdict#IGNORED}. Rules
     * are asked in the order given; one that throws excuses nothing.
     */
    public Builder<T> ignore(BiPredicate<? super @Nullable T, ? super @Nullable T> rule) {
      ignores.add(Settings.notNull("experiment.ignore", rule));
      return this;
    }

    /**
     * What the publisher and the log see of a value (to drop personal data or bulk): applied after
     * the comparison, never before it.
     */
    public Builder<T> clean(UnaryOperator<@Nullable T> clean) {
      this.clean = Settings.notNull("experiment.clean", clean);
      return this;
    }

    /**
     * A condition asked on each sampled call before anything runs; false (or a throw) skips the
     * candidate with the reason {@code runIf said no}.
     */
    public Builder<T> runIf(BooleanSupplier condition) {
      this.runIf = Settings.notNull("experiment.runIf", condition);
      return this;
    }

    /** An entry of the context every result carries (a version, a host, a ticket). */
    public Builder<T> context(String key, Object value) {
      context.put(
          Settings.notNull("experiment.context key", key),
          Settings.notNull("experiment.context " + key, value));
      return this;
    }

    /**
     * Receives every result, on the lane's worker (on the timer thread for a timeout, on the
     * caller's thread for a skip); one that throws is counted and never reaches the caller.
     */
    public Builder<T> publisher(Consumer<? super Result<T>> publisher) {
      this.publisher = Settings.notNull("experiment.publisher", publisher);
      return this;
    }

    /** The least time between two mismatch lines in the log (default 10 s). */
    public Builder<T> mismatchLogInterval(Duration interval) {
      if (interval == null || interval.isNegative()) {
        throw Settings.invalid(
            "experiment.mismatchLogInterval", interval, "must be zero or a positive duration");
      }
      this.mismatchLogInterval = interval;
      return this;
    }

    /**
     * In test mode (default: the system property {@value #TEST_MODE_PROPERTY}) the caller waits for
     * each sampled call to be judged, and a {@link Verdict#MISMATCH} throws an {@link
     * AssertionError} that shows both values and where they differ.
     */
    public Builder<T> testMode(boolean testMode) {
      this.testMode = testMode;
      return this;
    }

    /**
     * Turns on noise cancellation: {@code share} of the sampled calls (0.05 for one in twenty) also
     * run the old path a second time, on the lane, under the same timeout, and the field paths
     * where two runs of the old path differ (a timestamp, a request id) tell noise from real
     * differences. A call whose values differ only at paths found to be noise is {@link
     * Verdict#IGNORED}; {@link Experiment#report()} shows every path with its counts. The old path
     * must be a read: it runs twice, and {@link Experiment#inCandidate()} is true in its second
     * run. Default: off.
     */
    public Builder<T> noise(double share) {
      if (!(share > 0.0 && share <= 1.0)) {
        throw Settings.invalid("experiment.noise", share, "must be a share in (0, 1]");
      }
      this.noiseShare = share;
      return this;
    }

    /**
     * Whether the report's samples and the mismatch log line show values (after {@link #clean})
     * rather than only the types or paths where they differ (default false: values may hold
     * personal data).
     */
    public Builder<T> keepValues(boolean keepValues) {
      this.keepValues = keepValues;
      return this;
    }

    /**
     * The experiment; its meters are bound to the runtime's registries.
     *
     * @throws IllegalStateException if the runtime already has an experiment of this feature
     */
    public Experiment<T> build() {
      Experiments experiments = Experiments.of(runtime);
      experiments.register(feature.name());
      Experiment<T> experiment = new Experiment<>(this, experiments);
      experiments.built(experiment);
      return experiment;
    }
  }
}
