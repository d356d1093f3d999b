package dev.brownout.core.executor;

import dev.brownout.core.Ticker;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Settings of a {@link BoundedExecutor}: how many tasks may run and wait, how long a caller may
 * wait for room, the partitions and their shares, the threads, the watchdog and the drain.
 *
 * <pre>{@code
 * ExecutorConfig config = ExecutorConfig.builder()
 *     .maxRunning(16)
 *     .maxQueued(200)
 *     .partition("feed", 30)            // feed tasks use at most 30% of the workers (and of the queue)
 *     .stuckThreshold(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class ExecutorConfig {

  private final int maxRunning;
  private final int maxQueued;
  private final Duration maxWait;
  private final Map<String, Float> partitions;
  private final ThreadFactory threadFactory;
  private final boolean propagateMdc;
  private final List<ContextPropagator<?>> propagators;
  private final Duration stuckThreshold;
  private final boolean interruptStuck;
  private final Duration drainTimeout;
  private final boolean drainOnExit;
  private final Ticker ticker;

  private ExecutorConfig(Builder b) {
    this.maxRunning = b.maxRunning;
    this.maxQueued = b.maxQueued;
    this.maxWait = b.maxWait;
    this.partitions = Collections.unmodifiableMap(new LinkedHashMap<>(b.partitions));
    this.threadFactory = b.threadFactory;
    this.propagateMdc = b.propagateMdc;
    this.propagators = List.copyOf(b.propagators);
    this.stuckThreshold = b.stuckThreshold;
    this.interruptStuck = b.interruptStuck;
    this.drainTimeout = b.drainTimeout;
    this.drainOnExit = b.drainOnExit;
    this.ticker = b.ticker;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most tasks that run at once: the workers. */
  public int maxRunning() {
    return maxRunning;
  }

  /** The most tasks that wait for a worker; past that a task is rejected to its caller. */
  public int maxQueued() {
    return maxQueued;
  }

  /** How long a caller waits for room before its task is rejected (zero: rejected at once). */
  public Duration maxWait() {
    return maxWait;
  }

  /** Partition names and their shares in percent, in declaration order. */
  public Map<String, Float> partitions() {
    return partitions;
  }

  /** The factory of worker threads; null for the default (named platform threads). */
  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  public boolean propagateMdc() {
    return propagateMdc;
  }

  public List<ContextPropagator<?>> contextPropagators() {
    return propagators;
  }

  /** How long a task may run before the watchdog reports it; null when there is no watchdog. */
  public @Nullable Duration stuckThreshold() {
    return stuckThreshold;
  }

  public boolean interruptStuck() {
    return interruptStuck;
  }

  /** How long a drain on {@code Brownout.close()} or at JVM exit lets tasks finish. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  public boolean drainOnExit() {
    return drainOnExit;
  }

  public Ticker ticker() {
    return ticker;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ExecutorConfig that
        && that.maxRunning == maxRunning
        && that.maxQueued == maxQueued
        && that.maxWait.equals(maxWait)
        && that.partitions.equals(partitions)
        && Objects.equals(that.threadFactory, threadFactory)
        && that.propagateMdc == propagateMdc
        && that.propagators.equals(propagators)
        && Objects.equals(that.stuckThreshold, stuckThreshold)
        && that.interruptStuck == interruptStuck
        && that.drainTimeout.equals(drainTimeout)
        && that.drainOnExit == drainOnExit
        && that.ticker.equals(ticker);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxRunning, maxQueued, maxWait, partitions, stuckThreshold, drainTimeout);
  }

  @Override
  public String toString() {
    return "ExecutorConfig[maxRunning="
        + maxRunning
        + ", maxQueued="
        + maxQueued
        + ", maxWait="
        + maxWait
        + ", partitions="
        + partitions
        + ", stuckThreshold="
        + stuckThreshold
        + ", drainTimeout="
        + drainTimeout
        + "]";
  }

  /**
   * Builds an {@link ExecutorConfig}; invalid values fail with the setting's name and the value.
   */
  public static final class Builder {
    private int maxRunning = Runtime.getRuntime().availableProcessors();
    private int maxQueued = 100;
    private Duration maxWait = Duration.ZERO;
    private final Map<String, Float> partitions = new LinkedHashMap<>();
    private ThreadFactory threadFactory;
    private boolean propagateMdc = true;
    private final List<ContextPropagator<?>> propagators = new ArrayList<>();
    private Duration stuckThreshold;
    private boolean interruptStuck;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private boolean drainOnExit;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /** The most tasks that run at once (the number of cores by default). */
    public Builder maxRunning(int tasks) {
      this.maxRunning = Settings.positive("executor.maxRunning", tasks);
      return this;
    }

    /**
     * The most tasks that wait for a worker (100 by default; 0 hands tasks only to idle workers).
     */
    public Builder maxQueued(int tasks) {
      this.maxQueued = Settings.atLeast("executor.maxQueued", tasks, 0);
      return this;
    }

    /**
     * How long a caller may wait for room when the executor is full (zero by default: reject at
     * once).
     */
    public Builder maxWait(Duration wait) {
      this.maxWait = Settings.notNegative("executor.maxWait", wait);
      return this;
    }

    /**
     * A partition named {@code name} whose tasks use at most {@code percent} of the workers and of
     * the queue (rounded down, at least one worker). Shares are limits, not reservations: the tasks
     * submitted to the executor itself use whatever the partitions leave.
     */
    public Builder partition(String name, float percent) {
      Settings.name("executor.partition", name);
      if (name.equals(BoundedExecutor.SHARED)) {
        throw Settings.invalid(
            "executor.partition",
            "'" + name + "'",
            "must not be the name of the executor's own lane");
      }
      if (partitions.containsKey(name)) {
        throw Settings.invalid("executor.partition", "'" + name + "'", "must be declared once");
      }
      partitions.put(name, Settings.percentage("executor.partition." + name, percent));
      return this;
    }

    /**
     * The factory of worker threads, for example {@link ThreadFactories#virtual()} on JDK 21 and
     * newer, which starts one virtual thread per task instead of keeping a pool.
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Settings.notNull("executor.threadFactory", factory);
      return this;
    }

    /** Whether a task sees its submitter's SLF4J MDC (true by default). */
    public Builder propagateMdc(boolean propagate) {
      this.propagateMdc = propagate;
      return this;
    }

    /** Carries more of the submitter's context (a trace, a tenant) into its tasks. */
    public Builder contextPropagator(ContextPropagator<?> propagator) {
      propagators.add(Settings.notNull("executor.contextPropagator", propagator));
      return this;
    }

    /** Reports (once) a task that runs longer than {@code threshold}; off by default. */
    public Builder stuckThreshold(Duration threshold) {
      this.stuckThreshold = Settings.positive("executor.stuckThreshold", threshold);
      return this;
    }

    /** Whether the watchdog also interrupts (cancels) a stuck task; false by default. */
    public Builder interruptStuck(boolean interrupt) {
      this.interruptStuck = interrupt;
      return this;
    }

    /**
     * How long a drain on {@code Brownout.close()} or at JVM exit waits (30 seconds by default).
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = Settings.notNegative("executor.drainTimeout", timeout);
      return this;
    }

    /**
     * Drains the executor (for {@link #drainTimeout}) from a JVM shutdown hook; false by default.
     */
    public Builder drainOnExit(boolean drain) {
      this.drainOnExit = drain;
      return this;
    }

    /** The time source of the watchdog, deadlines and drains; tests pass a hand-driven one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Settings.notNull("executor.ticker", ticker);
      return this;
    }

    public ExecutorConfig build() {
      return new ExecutorConfig(this);
    }
  }
}
