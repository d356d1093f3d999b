package dev.brownout.degradation;

import dev.brownout.core.Ticker;
import java.time.Duration;
import java.time.Instant;

/**
 * The runtime's ticker read as instants: what a {@link Features} stamps its settings and audit
 * with, and how it turns a switch's expiry instant into a tick to compare with. The instant of the
 * first tick is taken from the system clock once; after that only the ticker moves time, so a
 * hand-driven ticker drives expiries and the audit alike.
 */
final class TickClock {

  /** How far from the first tick an expiry can lie on the ticker: ±2^62 ns, about 146 years. */
  private static final Duration HORIZON = Duration.ofNanos(1L << 62);

  private final Ticker ticker;
  private final Instant wallBase;
  private final long tickBase;

  TickClock(Ticker ticker) {
    this.ticker = ticker;
    this.wallBase = Instant.now();
    this.tickBase = ticker.read();
  }

  Ticker ticker() {
    return ticker;
  }

  long read() {
    return ticker.read();
  }

  Instant now() {
    return at(ticker.read());
  }

  Instant at(long tick) {
    return wallBase.plusNanos(tick - tickBase);
  }

  /**
   * {@code instant} on the ticker. A switch's expiry lies within a few centuries of now (the switch
   * bounds it), well inside the ±292 years of a long's nanoseconds; the clamp keeps that true
   * later.
   */
  long tickOf(Instant instant) {
    Duration ahead = Duration.between(wallBase, instant);
    long nanos =
        ahead.compareTo(HORIZON) > 0
            ? HORIZON.toNanos()
            : ahead.compareTo(HORIZON.negated()) < 0 ? -HORIZON.toNanos() : ahead.toNanos();
    return tickBase + nanos;
  }
}
