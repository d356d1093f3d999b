package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the adaptive breaker (client-side throttling from Google's SRE book): over a rolling
 * window it counts the calls the application made ({@code requests}) and the calls the dependency
 * accepted ({@code accepts}), and rejects a new call with probability {@code max(0, (requests - K *
 * accepts) / (requests + 1))}. A healthy dependency is never throttled; a failing one sheds load in
 * proportion to how much it fails, without a hard OPEN edge.
 *
 * <pre>{@code
 * AdaptiveBreakerConfig config = AdaptiveBreakerConfig.builder().k(2.0).window(Duration.ofMinutes(2)).build();
 * }</pre>
 *
 * <p>Two configs are equal when every setting is.
 */
public final class AdaptiveBreakerConfig extends ValueConfig {

  private final double k;
  private final int windowSeconds;
  private final FailureClassifier classifier;
  private final ConfigValues values;

  private AdaptiveBreakerConfig(Builder b) {
    this.k = b.k;
    this.windowSeconds = (int) b.window.toSeconds();
    this.classifier = new FailureClassifier(b.recordExceptions, null, b.ignoreExceptions, null);
    this.values =
        new ConfigValues("AdaptiveBreakerConfig")
            .value("k", k)
            .value("window", window())
            .types("recordExceptions", b.recordExceptions)
            .types("ignoreExceptions", b.ignoreExceptions);
  }

  /** K = 2 over two minutes, the SRE book's values. */
  public static AdaptiveBreakerConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public double k() {
    return k;
  }

  public Duration window() {
    return Duration.ofSeconds(windowSeconds);
  }

  int windowSeconds() {
    return windowSeconds;
  }

  FailureClassifier classifier() {
    return classifier;
  }

  @Override
  ConfigValues values() {
    return values;
  }

  /** Builds an {@link AdaptiveBreakerConfig}; {@link #build()} rejects invalid values by name. */
  public static final class Builder {
    private double k = 2.0;
    private Duration window = Duration.ofMinutes(2);
    private final List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();

    private Builder() {}

    /**
     * The multiplier K: the dependency may reject up to (K - 1) / K of calls before the client
     * starts throttling. Lower is more aggressive; 2 is the SRE book's default.
     */
    public Builder k(double k) {
      this.k = k;
      return this;
    }

    /** The rolling window, in whole seconds. */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /** Only these exception types count as a call the dependency did not accept. */
    @SafeVarargs
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        recordExceptions.add(Settings.notNull("exception type", type));
      }
      return this;
    }

    /** These exception types are not counted at all. */
    @SafeVarargs
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      for (Class<? extends Throwable> type : types) {
        ignoreExceptions.add(Settings.notNull("exception type", type));
      }
      return this;
    }

    public AdaptiveBreakerConfig build() {
      if (!(k >= 1.0) || Double.isInfinite(k)) {
        throw Settings.invalid(
            "adaptiveCircuitBreaker.k", k, "must be a finite number of at least 1");
      }
      Settings.positive("adaptiveCircuitBreaker.window", window);
      if (window.toSeconds() < 1 || window.toSeconds() > 3600) {
        throw Settings.invalid(
            "adaptiveCircuitBreaker.window", window, "must be between 1 s and 1 h");
      }
      return new AdaptiveBreakerConfig(this);
    }
  }
}
