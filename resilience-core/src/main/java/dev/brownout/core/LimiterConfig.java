package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of an adaptive concurrency limiter: the algorithm that moves the limit, its bounds, the
 * window it learns over, and the partitions that share it.
 *
 * <pre>{@code
 * LimiterConfig config = LimiterConfig.builder()
 *     .algorithm(LimiterConfig.Algorithm.VEGAS)
 *     .limits(4, 20, 500)                 // min, initial, max
 *     .partition("checkout", 0.6)         // guaranteed shares at the limit
 *     .partition("browse", 0.3)
 *     .partition("batch", 0.1)
 *     .build();
 * }</pre>
 *
 * <p>The limit changes once a window, after at least {@link #minWindow()} and {@link #minSamples()}
 * finished calls. Whatever the algorithm says, it is kept within [min, max] and never above {@link
 * #maxInFlightFactor()} times the most calls that were in flight during the window, so a quiet
 * spell cannot grow a limit that the next burst would then believe. A window in which more than
 * {@link #dropThreshold()} of the calls timed out or were refused downstream (drops) cuts the limit
 * by {@link #backoffRatio()} (and by one at least); a window that refused calls while none waited
 * doubles it. The no-load latency that the latency-based algorithms compare with is the least of
 * the window minimums of the last {@link #noLoadWindows()} windows, so it is measured again from
 * live traffic as windows pass, without holding concurrency down to measure it; a call that started
 * before a window began is not a sample of that window.
 */
public final class LimiterConfig extends ValueConfig {

  /** How the limit moves. */
  public enum Algorithm {
    /**
     * Estimates the calls queued behind the dependency from how far the window's average latency is
     * above the no-load latency ({@code limit × (1 − noLoad / latency)}), and grows the limit while
     * that queue is short, shrinks it when it is long. The default: it holds latency near the
     * no-load latency.
     */
    VEGAS,
    /**
     * Scales the limit by the gradient {@code tolerance × noLoad / latency} (between 0.5 and 1) and
     * adds its square root as headroom, smoothed. Tolerates latency up to {@code tolerance} times
     * no-load.
     */
    GRADIENT,
    /** Adds one while calls fill at least half the limit, cuts by the backoff ratio on a drop. */
    AIMD,
    /** Never moves: a bulkhead with partitions. */
    FIXED
  }

  private final Algorithm algorithm;
  private final int minLimit;
  private final int initialLimit;
  private final int maxLimit;
  private final Duration minWindow;
  private final int minSamples;
  private final int noLoadWindows;
  private final double maxInFlightFactor;
  private final double backoffRatio;
  private final double tolerance;
  private final double dropThreshold;
  private final Map<String, Double> partitions;
  private final String[] order;

  private LimiterConfig(Builder b) {
    this.algorithm = b.algorithm;
    this.minLimit = b.minLimit;
    this.initialLimit = b.initialLimit;
    this.maxLimit = b.maxLimit;
    this.minWindow = b.minWindow;
    this.minSamples = b.minSamples;
    this.noLoadWindows = b.noLoadWindows;
    this.maxInFlightFactor = b.maxInFlightFactor;
    this.backoffRatio = b.backoffRatio;
    this.tolerance = b.tolerance;
    this.dropThreshold = b.dropThreshold;
    this.partitions = Map.copyOf(b.partitions);
    this.order = b.partitions.keySet().toArray(String[]::new);
  }

  public static LimiterConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public int minLimit() {
    return minLimit;
  }

  public int initialLimit() {
    return initialLimit;
  }

  public int maxLimit() {
    return maxLimit;
  }

  public Duration minWindow() {
    return minWindow;
  }

  public int minSamples() {
    return minSamples;
  }

  public int noLoadWindows() {
    return noLoadWindows;
  }

  public double maxInFlightFactor() {
    return maxInFlightFactor;
  }

  public double backoffRatio() {
    return backoffRatio;
  }

  /** The share of a window's timed calls that must drop for the limit to be cut. */
  public double dropThreshold() {
    return dropThreshold;
  }

  /** How far above no-load the GRADIENT algorithm lets latency go before it shrinks the limit. */
  public double tolerance() {
    return tolerance;
  }

  /** The partitions' guaranteed shares of the limit, in the order they were declared. */
  public Map<String, Double> partitions() {
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (String name : order) {
      ordered.put(name, partitions.get(name));
    }
    return ordered;
  }

  @Override
  ConfigValues values() {
    return new ConfigValues("LimiterConfig")
        .value("algorithm", algorithm)
        .value("minLimit", minLimit)
        .value("initialLimit", initialLimit)
        .value("maxLimit", maxLimit)
        .value("minWindow", minWindow)
        .value("minSamples", minSamples)
        .value("noLoadWindows", noLoadWindows)
        .value("maxInFlightFactor", maxInFlightFactor)
        .value("backoffRatio", backoffRatio)
        .value("tolerance", tolerance)
        .value("dropThreshold", dropThreshold)
        .value("partitions", partitions());
  }

  /** Builds a {@link LimiterConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private Algorithm algorithm = Algorithm.VEGAS;
    private int minLimit = 2;
    private int initialLimit = 20;
    private int maxLimit = 1_000;
    private Duration minWindow = Duration.ofSeconds(1);
    private int minSamples = 20;
    private int noLoadWindows = 30;
    private double maxInFlightFactor = 5.0;
    private double backoffRatio = 0.9;
    private double tolerance = 1.5;
    private double dropThreshold = 0.01;
    private final Map<String, Double> partitions = new LinkedHashMap<>();

    private Builder() {}

    /** {@link Algorithm#VEGAS} by default. */
    public Builder algorithm(Algorithm algorithm) {
      this.algorithm = algorithm;
      return this;
    }

    /** The bounds of the limit and where it starts; 2, 20 and 1,000 by default. */
    public Builder limits(int min, int initial, int max) {
      this.minLimit = min;
      this.initialLimit = initial;
      this.maxLimit = max;
      return this;
    }

    /** The shortest window the limit learns over; one second by default. */
    public Builder minWindow(Duration window) {
      this.minWindow = window;
      return this;
    }

    /** The fewest finished calls a window needs; 20 by default. */
    public Builder minSamples(int samples) {
      this.minSamples = samples;
      return this;
    }

    /** How many windows the no-load latency is the least of; 30 by default. */
    public Builder noLoadWindows(int windows) {
      this.noLoadWindows = windows;
      return this;
    }

    /**
     * The limit never exceeds this many times the calls seen in flight in a window; 5 by default.
     */
    public Builder maxInFlightFactor(double factor) {
      this.maxInFlightFactor = factor;
      return this;
    }

    /** The limit is multiplied by this after a window with a drop; 0.9 by default. */
    public Builder backoffRatio(double ratio) {
      this.backoffRatio = ratio;
      return this;
    }

    /**
     * The share of a window's calls that must drop (time out, be refused downstream) for the limit
     * to be cut; 1% by default. A dependency that loses one call in ten thousand is not overloaded,
     * and a cut for each such window would drive the limit to its minimum.
     */
    public Builder dropThreshold(double share) {
      this.dropThreshold = share;
      return this;
    }

    /** GRADIENT only: the latency, in multiples of no-load, that it accepts; 1.5 by default. */
    public Builder tolerance(double tolerance) {
      this.tolerance = tolerance;
      return this;
    }

    /**
     * A partition guaranteed {@code share} of the limit: below the limit any partition's calls are
     * admitted; at the limit a call is admitted only while its partition has fewer than its share
     * in flight, so the partitions with the smallest shares are refused first. Shares add up to at
     * most 1.
     */
    public Builder partition(String name, double share) {
      Settings.name("limiter.partition", name);
      if (partitions.putIfAbsent(name, share) != null) {
        throw Settings.invalid("limiter.partition", "'" + name + "'", "must be declared once");
      }
      return this;
    }

    public LimiterConfig build() {
      Settings.notNull("limiter.algorithm", algorithm);
      Settings.positive("limiter.minLimit", minLimit);
      Settings.atLeast("limiter.initialLimit", initialLimit, minLimit);
      Settings.atLeast("limiter.maxLimit", maxLimit, initialLimit);
      Settings.atMost("limiter.maxLimit", maxLimit, Limiter.MAX_LIMIT);
      Settings.positive("limiter.minWindow", minWindow);
      Settings.positive("limiter.minSamples", minSamples);
      Settings.positive("limiter.noLoadWindows", noLoadWindows);
      if (!(maxInFlightFactor >= 1.0) || Double.isInfinite(maxInFlightFactor)) {
        throw Settings.invalid(
            "limiter.maxInFlightFactor",
            maxInFlightFactor,
            "must be a finite number of at least 1");
      }
      if (!(backoffRatio >= 0.5 && backoffRatio < 1.0)) {
        throw Settings.invalid("limiter.backoffRatio", backoffRatio, "must be in [0.5, 1)");
      }
      if (!(dropThreshold >= 0 && dropThreshold < 1)) {
        throw Settings.invalid("limiter.dropThreshold", dropThreshold, "must be a share in [0, 1)");
      }
      if (!(tolerance >= 1.0) || Double.isInfinite(tolerance)) {
        throw Settings.invalid(
            "limiter.tolerance", tolerance, "must be a finite number of at least 1");
      }
      double total = 0;
      for (Map.Entry<String, Double> partition : partitions.entrySet()) {
        double share = partition.getValue();
        if (!(share > 0 && share <= 1)) {
          throw Settings.invalid(
              "limiter.partition." + partition.getKey(), share, "must be a share in (0, 1]");
        }
        total += share;
      }
      if (total > 1.0 + 1e-9) {
        throw Settings.invalid(
            "limiter.partitions", partitions, "must have shares adding up to at most 1");
      }
      return new LimiterConfig(this);
    }
  }
}
