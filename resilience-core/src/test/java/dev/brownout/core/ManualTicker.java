package dev.brownout.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test moves it. It is both a Brownout {@link Ticker} and a {@link
 * Clock} (for Resilience4j, the oracle), and both read the same nanoseconds since the epoch, so the
 * two libraries see the same instants and the same second boundaries.
 *
 * <p>{@code brownout-testing} publishes the same ticker ({@code dev.brownout.testing.ManualTicker})
 * for users and for the other modules' tests; this module's tests cannot depend on it (it depends
 * on this module, and Maven refuses the cycle even in test scope), so they keep this copy.
 */
public final class ManualTicker extends Clock implements Ticker {

  private final AtomicLong nanos = new AtomicLong();

  @Override
  public long read() {
    return nanos.get();
  }

  public void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  void advanceNanos(long delta) {
    nanos.addAndGet(delta);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    long now = nanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(now, 1_000_000_000L), Math.floorMod(now, 1_000_000_000L));
  }

  @Override
  public long millis() {
    return Math.floorDiv(nanos.get(), 1_000_000L);
  }
}
