package dev.brownout.testing;

import dev.brownout.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test moves it, so that a breaker's wait in open, a switch's expiry or
 * a stuck-task threshold is reached in a step instead of a sleep. It is both a Brownout {@link
 * Ticker} and a {@link Clock} (for a library beside Brownout, such as Resilience4j), and both read
 * the same nanoseconds since the epoch, so the two see the same instants.
 *
 * <pre>{@code
 * ManualTicker ticker = new ManualTicker();
 * try (Brownout brownout = Brownout.builder().ticker(ticker).build()) {
 *   // ... fail calls until the breaker opens ...
 *   ticker.advance(Duration.ofSeconds(61)); // past the wait in open (60 s by default): a probe goes through
 * }
 * }</pre>
 *
 * <p>Thread-safe: any thread may read it while the test advances it.
 */
public final class ManualTicker extends Clock implements Ticker {

  private final AtomicLong nanos;

  /** A ticker that starts at the epoch (a reading of zero). */
  public ManualTicker() {
    this(Instant.EPOCH);
  }

  /** A ticker that starts at {@code start} (its reading is the nanoseconds since the epoch). */
  public ManualTicker(Instant start) {
    Objects.requireNonNull(start, "start");
    this.nanos =
        new AtomicLong(
            Math.addExact(
                Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L), start.getNano()));
  }

  @Override
  public long read() {
    return nanos.get();
  }

  /**
   * Moves time on by {@code duration}.
   *
   * @throws IllegalArgumentException if {@code duration} is negative: a ticker never goes back
   */
  public void advance(Duration duration) {
    advanceNanos(duration.toNanos());
  }

  /**
   * Moves time on by {@code nanos} nanoseconds.
   *
   * @throws IllegalArgumentException if {@code nanos} is negative: a ticker never goes back
   */
  public void advanceNanos(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("a ticker never goes back; advance by " + nanos + " ns");
    }
    this.nanos.addAndGet(nanos);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** Returns this ticker: its instants are the same in every zone. */
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
