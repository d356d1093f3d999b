package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * Settings of a bulkhead: how many calls may run at once, and how long a call may wait for a permit
 * (zero by default: a full bulkhead rejects at once, which is what a caller under load wants).
 *
 * <pre>{@code
 * BulkheadConfig config = BulkheadConfig.builder().maxConcurrentCalls(20).build();
 * }</pre>
 */
public final class BulkheadConfig extends ValueConfig {

  private final int maxConcurrentCalls;
  private final Duration maxWaitDuration;

  private BulkheadConfig(int maxConcurrentCalls, Duration maxWaitDuration) {
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.maxWaitDuration = maxWaitDuration;
  }

  /** 25 concurrent calls, no wait (Resilience4j's semaphore bulkhead defaults). */
  public static BulkheadConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  public Duration maxWaitDuration() {
    return maxWaitDuration;
  }

  @Override
  ConfigValues values() {
    return new ConfigValues("BulkheadConfig")
        .value("maxConcurrentCalls", maxConcurrentCalls)
        .value("maxWaitDuration", maxWaitDuration);
  }

  /** Builds a {@link BulkheadConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private int maxConcurrentCalls = 25;
    private Duration maxWaitDuration = Duration.ZERO;

    private Builder() {}

    public Builder maxConcurrentCalls(int calls) {
      this.maxConcurrentCalls = calls;
      return this;
    }

    /** How long a call may wait for a free permit before it is rejected. */
    public Builder maxWaitDuration(Duration wait) {
      this.maxWaitDuration = wait;
      return this;
    }

    public BulkheadConfig build() {
      Settings.positive("bulkhead.maxConcurrentCalls", maxConcurrentCalls);
      Settings.atMost("bulkhead.maxConcurrentCalls", maxConcurrentCalls, Bulkhead.MAX_PERMITS);
      Settings.notNegative("bulkhead.maxWaitDuration", maxWaitDuration);
      return new BulkheadConfig(maxConcurrentCalls, maxWaitDuration);
    }
  }
}
