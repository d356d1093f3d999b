package dev.brownout.core;

/**
 * How a limiter's limit moves once a window closes (see {@link LimiterConfig.Algorithm}). Called by
 * one thread at a time, once a window: the state an algorithm keeps needs no synchronisation.
 */
abstract class LimitAlgorithm {

  final double backoff;

  LimitAlgorithm(LimiterConfig config) {
    this.backoff = config.backoffRatio();
  }

  static LimitAlgorithm of(LimiterConfig config) {
    return switch (config.algorithm()) {
      case VEGAS -> new Vegas(config);
      case GRADIENT -> new Gradient(config);
      case AIMD -> new Aimd(config);
      case FIXED -> new Fixed(config);
    };
  }

  /**
   * The next limit, before the limiter bounds it.
   *
   * @param limit the limit during the window
   * @param latency the window's least latency in nanoseconds; {@code Long.MAX_VALUE} when no call
   *     succeeded
   * @param noLoad the no-load latency in nanoseconds; {@code Long.MAX_VALUE} before any is known
   * @param peak the most calls in flight during the window
   * @param dropped whether a call of the window timed out or was refused downstream
   */
  double next(int limit, long latency, long noLoad, int peak, boolean dropped) {
    if (dropped) {
      return limit * backoff;
    }
    return latency == Long.MAX_VALUE || noLoad == Long.MAX_VALUE
        ? limit
        : adjust(limit, latency, noLoad, peak);
  }

  /** The next limit after a window without drops in which some calls succeeded. */
  abstract double adjust(int limit, long latency, long noLoad, int peak);

  /**
   * Vegas. The calls queued behind the dependency are about {@code limit × (1 − noLoad / latency)},
   * where latency is the window's least: every call waits behind a queue, even the fastest, so the
   * least latency sees the queue without the noise of the slow tail that an average would carry. A
   * short queue (below 3·log10(limit)) means room: grow by log10(limit). A long one (above
   * 6·log10(limit)) means waiting: shrink by as much. Between the two the limit holds, which keeps
   * a few calls queued, enough to use the dependency fully, few enough that latency stays near
   * no-load. The steps scale with log10 so that a large limit moves faster than a small one, never
   * by a fixed share (which would oscillate).
   */
  static final class Vegas extends LimitAlgorithm {
    Vegas(LimiterConfig config) {
      super(config);
    }

    @Override
    double adjust(int limit, long latency, long noLoad, int peak) {
      double step = Math.max(1.0, Math.log10(limit));
      double queue = limit * (1 - (double) noLoad / Math.max(latency, noLoad));
      if (queue < 3 * step) {
        return peak * 2 >= limit ? limit + step : limit;
      }
      if (queue > 6 * step) {
        return limit - step;
      }
      return limit;
    }
  }

  /**
   * Gradient. The limit scales by {@code tolerance × noLoad / latency} (the window's least latency;
   * kept within [0.5, 1]) and adds its square root as headroom for bursts, and the result is
   * blended into the old limit (a fifth of a step per window), so a single noisy window cannot
   * swing it. Against the no-load latency rather than a long-run average of latency (which climbs
   * under a sustained overload until the gradient reads 1 and the headroom grows the limit every
   * window, which is how a limit creeps up past capacity): the no-load latency does not climb with
   * the queue.
   */
  static final class Gradient extends LimitAlgorithm {
    private final double tolerance;

    Gradient(LimiterConfig config) {
      super(config);
      this.tolerance = config.tolerance();
    }

    @Override
    double adjust(int limit, long latency, long noLoad, int peak) {
      double gradient = Math.max(0.5, Math.min(1.0, tolerance * noLoad / latency));
      double headroom = peak * 2 >= limit ? Math.sqrt(limit) : 0;
      double target = limit * gradient + headroom;
      return limit * 0.8 + target * 0.2;
    }
  }

  /**
   * AIMD: add one while the calls fill at least half the limit; cut by the backoff ratio on a drop.
   */
  static final class Aimd extends LimitAlgorithm {
    Aimd(LimiterConfig config) {
      super(config);
    }

    @Override
    double next(int limit, long latency, long noLoad, int peak, boolean dropped) {
      return dropped ? limit * backoff : adjust(limit, latency, noLoad, peak);
    }

    @Override
    double adjust(int limit, long latency, long noLoad, int peak) {
      return peak * 2 >= limit ? limit + 1 : limit;
    }
  }

  /** Fixed: the initial limit, always. */
  static final class Fixed extends LimitAlgorithm {
    private final int limit;

    Fixed(LimiterConfig config) {
      super(config);
      this.limit = config.initialLimit();
    }

    @Override
    double next(int current, long latency, long noLoad, int peak, boolean dropped) {
      return limit;
    }

    @Override
    double adjust(int current, long latency, long noLoad, int peak) {
      return limit;
    }
  }
}
