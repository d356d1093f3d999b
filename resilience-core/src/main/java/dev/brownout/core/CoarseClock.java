package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The runtime's cheap clock: a reading that the runtime's timer refreshes about once a millisecond
 * while someone reads it, so a reader pays one volatile load instead of a {@code System.nanoTime()}
 * call. OPEN states, time windows, the retry budget and slow-call thresholds of 10 ms or more read
 * it; a latency that is reported (histograms, {@code recordLatency}, a timeout) reads the precise
 * ticker.
 */
final class CoarseClock implements Ticker {

  /*
   * Design notes
   *
   * Why a clock and not a scheduled end of OPEN. A scheduled transition serves only the OPEN state;
   * time windows, the retry budget and slow calls need a reading too. One word refreshed by the
   * timer that already exists serves them all, and the OPEN path stays at two volatile loads (its
   * phase and this word). The figures behind it (JMH, 1 thread, JDK 17, 2 cores): a rejection by an
   * open breaker cost 35 ns with a System.nanoTime read against 6.5 ns forced open (no read), and
   * a TIME_BASED window 48 ns against 8 ns for a count window; the load costs about a nanosecond,
   * plus, on other cores, one cache miss per tick. With this clock an open breaker opened by
   * failures costs what a forced one does (13.0 against 12.5 ns in one run on a loaded machine).
   *
   * The word. One volatile long holds a reading of the source in its high bits and a phase in its
   * low two (the reading loses its two lowest bits, 3 ns, so it is never ahead of the source):
   *
   *   IDLE       the timer does not tick: a reader reads the source itself, and asks for ticks
   *              with one CAS IDLE -> REQUESTED; the reader that wins wakes the timer;
   *   REQUESTED  ticks asked for (or the timer has stopped for good): readers read the source;
   *   TICKING    the timer ticks, and nobody has read since the last demand check: the first
   *              reader marks demand with one CAS TICKING -> DEMANDED, and takes the reading;
   *   DEMANDED   the steady state: a reader takes the reading, and writes nothing.
   *
   * The timer's side (tick, once per tick of RuntimeTimer): REQUESTED starts the ticks (DEMANDED,
   * the requester counts as a reader); otherwise it publishes a fresh reading in the same phase,
   * and once every IDLE_AFTER_NANOS checks demand: DEMANDED goes back to TICKING (readers must mark
   * it again), TICKING (nobody read for a whole period) goes IDLE, and the timer may park. A timer
   * step is a CAS on the word it read, so a reader's mark or request is never overwritten; it
   * retries with the new word. An idle service's timer thus ticks for one to two periods after its
   * last read, then parks; a busy one costs one write per period, by whichever reader comes first.
   *
   * Waking. A reader's request (a CAS) comes before its read of the timer's parked flag, and the
   * timer's store of that flag comes before its last look at this word: both sequentially
   * consistent, so either the timer sees REQUESTED, or the reader sees it parked and unparks it.
   *
   * Staleness. A reading is never ahead of the source. While the clock ticks, it is behind the
   * source by at most the time since the timer's last tick: one tick (RuntimeTimer.TICK_NANOS,
   * ~1 ms, plus the timer thread's scheduling delay, which a starved CPU can stretch to several
   * milliseconds). Readers on different threads may see a ticking reading after another thread's
   * precise one (as the clock starts), so two readers may disagree by that much, never more. Every
   * user tolerates that: a breaker dates its OPEN state with the precise ticker (so the coarse
   * reading can only make it leave OPEN late, never early), a time window counts a late reading in
   * the newer second, and a slow call is decided at 10 ms or more, ten ticks.
   */

  /** {@link Ticker#system()}. */
  static final Ticker SYSTEM = System::nanoTime;

  static final long IDLE = 0;
  static final long REQUESTED = 2;
  static final long TICKING = 1;
  static final long DEMANDED = 3;
  private static final long PHASE = 3;

  /** A clock nobody read for this long stops ticking. */
  static final long IDLE_AFTER_NANOS = 1_000_000_000L;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(CoarseClock.class, "word", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Ticker source;
  private final Runnable wakeTimer;

  @SuppressWarnings("unused") // accessed through WORD
  private volatile long word = IDLE;

  /** The timer's own: when the current demand period began. */
  private long periodStart;

  /**
   * A clock over {@code source}, refreshed by {@link #tick()}; {@code wakeTimer} is run (rarely)
   * when a reader asks an idle clock to tick.
   */
  CoarseClock(Ticker source, Runnable wakeTimer) {
    this.source = source;
    this.wakeTimer = wakeTimer;
  }

  @Override
  public long read() {
    long w = word;
    if ((w & PHASE) == DEMANDED) {
      return w & ~PHASE;
    }
    return readSlowly(w);
  }

  private long readSlowly(long w) {
    long phase = w & PHASE;
    if (phase == TICKING) {
      WORD.compareAndSet(this, w, w - TICKING + DEMANDED); // lost to a tick: the next read marks
      return w & ~PHASE;
    }
    if (phase == IDLE && WORD.compareAndSet(this, w, w - IDLE + REQUESTED)) {
      wakeTimer.run();
    }
    return source.read();
  }

  /** The timer's side, once per tick: true while the clock ticks, so the timer must not park. */
  boolean tick() {
    for (; ; ) {
      long w = word;
      long phase = w & PHASE;
      if (phase == IDLE) {
        return false;
      }
      long now = source.read();
      long next;
      if (phase == REQUESTED) {
        periodStart = now;
        next = DEMANDED;
      } else if (now - periodStart < IDLE_AFTER_NANOS) {
        next = phase;
      } else if (phase == DEMANDED) {
        periodStart = now;
        next = TICKING;
      } else {
        next = IDLE;
      }
      if (WORD.compareAndSet(this, w, (now & ~PHASE) | next)) {
        return next != IDLE;
      }
    }
  }

  /**
   * The timer has stopped for good: from now on every reader reads the source, and none asks for
   * ticks. Called by the timer thread as it ends, so no tick follows.
   */
  void stop() {
    for (; ; ) {
      long w = word;
      if (WORD.compareAndSet(this, w, (w & ~PHASE) | REQUESTED)) {
        return;
      }
    }
  }

  /** Whether readers currently take the timer's reading (for tests). */
  boolean ticking() {
    long phase = word & PHASE;
    return phase == TICKING || phase == DEMANDED;
  }
}
