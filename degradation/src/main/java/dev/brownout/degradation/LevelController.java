package dev.brownout.degradation;

import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * Moves the brownout level with the load: one level up each time the signal has stayed over its
 * target for {@code raiseAfter}, one level down each time it has stayed under {@code lowerBelow}
 * for {@code lowerAfter}. Rising fast and falling slowly, with a gap between the two thresholds,
 * keeps the level from flapping. P0 features are never shed, whatever the level.
 *
 * <pre>{@code
 * features.control(LevelController.builder(LoadSignal.p95LatencyMillis(checkout), 250)
 *     .raiseAfter(Duration.ofSeconds(5))
 *     .lowerBelow(200).lowerAfter(Duration.ofSeconds(30))
 *     .build());
 * }</pre>
 */
public final class LevelController {

  final LoadSignal signal;
  final double target;
  final double lowerBelow;
  final long raiseAfterNanos;
  final long lowerAfterNanos;
  final int maxLevel;

  private LevelController(Builder b) {
    this.signal = b.signal;
    this.target = b.target;
    this.lowerBelow = b.lowerBelow;
    this.raiseAfterNanos = b.raiseAfter.toNanos();
    this.lowerAfterNanos = b.lowerAfter.toNanos();
    this.maxLevel = b.maxLevel;
  }

  /** A controller that keeps {@code signal} at or under {@code target}. */
  public static Builder builder(LoadSignal signal, double target) {
    return new Builder(Settings.notNull("levelController.signal", signal), target);
  }

  @Override
  public String toString() {
    return signal + " over " + target;
  }

  /** Settings of a controller; checked by {@link #build}. */
  public static final class Builder {
    private final LoadSignal signal;
    private final double target;
    private double lowerBelow;
    private Duration raiseAfter = Duration.ofSeconds(5);
    private Duration lowerAfter = Duration.ofSeconds(30);
    private int maxLevel = Priority.MAX_LEVEL;

    private Builder(LoadSignal signal, double target) {
      if (!(target > 0.0) || Double.isInfinite(target)) {
        throw Settings.invalid("levelController.target", target, "must be a positive number");
      }
      this.signal = signal;
      this.target = target;
      this.lowerBelow = target * 0.8;
    }

    /**
     * How long the signal must stay over the target before each step up (default 5 s). Zero steps
     * up at the first reading over the target: for a signal that is already measured over a window,
     * such as a limiter's {@linkplain LoadSignal#pressure pressure}, where waiting only lets the
     * load outrun the level.
     */
    public Builder raiseAfter(Duration duration) {
      this.raiseAfter = Settings.notNegative("levelController.raiseAfter", duration);
      return this;
    }

    /**
     * How long the signal must stay under {@link #lowerBelow} before each step down (default 30 s).
     */
    public Builder lowerAfter(Duration duration) {
      this.lowerAfter = Settings.positive("levelController.lowerAfter", duration);
      return this;
    }

    /** The reading under which the level may step down (default 80 % of the target). */
    public Builder lowerBelow(double reading) {
      if (!(reading >= 0.0 && reading <= target)) {
        throw Settings.invalid(
            "levelController.lowerBelow", reading, "must be from 0 to the target (" + target + ")");
      }
      this.lowerBelow = reading;
      return this;
    }

    /** The highest level the controller sets (default 4, which sheds everything but P0). */
    public Builder maxLevel(int level) {
      if (level < 1 || level > Priority.MAX_LEVEL) {
        throw Settings.invalid(
            "levelController.maxLevel", level, "must be from 1 to " + Priority.MAX_LEVEL);
      }
      this.maxLevel = level;
      return this;
    }

    public LevelController build() {
      return new LevelController(this);
    }
  }
}
