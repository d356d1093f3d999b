package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Admits calls at a rate (see {@link RateLimiterConfig} for the promise every kind keeps).
 *
 * <p>Design note. A decision is one read of the clock the caller passes in and, for the two
 * lock-free kinds, one compare-and-set of a single long; nothing is allocated unless a call is
 * refused (the refusal carries its own retry time). An admitted call may be told to wait: the
 * limiter reserves its turn at once, so callers that wait are served in the order they were
 * admitted and none is admitted twice.
 *
 * <ul>
 *   <li>SMOOTH keeps the instant at which the next call may start (the generic cell rate algorithm,
 *       with a burst tolerance of one tick of the clock it reads): a call whose turn is at most the
 *       tolerance ahead starts now, a later one waits for its turn less the tolerance, and either
 *       moves the instant one spacing on from its turn or now, whichever is later. The spacing is
 *       the period divided by the calls, rounded up so that a period never holds one call too many.
 *       Without the tolerance, two callers that arrive in the same tick of a coarse clock (or a
 *       nanosecond apart on a precise one, at a high rate) would see the second one's turn a
 *       spacing ahead and refuse it, though the rate has room: the tolerance lets any span of
 *       length {@code w} hold at most {@code (w + tolerance) / spacing + 1} starts, the algorithm's
 *       bound, and a long run still averages the rate.
 *   <li>FIXED_WINDOW numbers calls from the limiter's creation: call {@code n} belongs to period
 *       {@code n / calls}. A call takes the next number, or the first number of the current period
 *       if the numbers have fallen behind the clock (unused calls of past periods are not banked),
 *       and waits for the start of its number's period.
 *   <li>ROLLING_WINDOW keeps the start instant of each of the last {@code calls} admitted calls in
 *       a ring: a call starts no earlier than one period after the call {@code calls} before it,
 *       and no earlier than the call before it (so that starts never go backwards, which is what
 *       bounds any span, not only those that begin at a start). The ring is read and written under
 *       a lock held for a few instructions; the two lock-free kinds are for the hottest paths.
 * </ul>
 *
 * <p>The decision is encoded in a long so that the hot path allocates nothing: zero or more is
 * admitted after that many nanoseconds; a negative value is refused, and {@code -1 - value} is how
 * long until a call would be admitted without waiting.
 */
final class RateLimiter {

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RateLimiter.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int SMOOTH = 0;
  private static final int FIXED = 1;
  private static final int ROLLING = 2;

  /** Far enough in the past that a ring slot holding it never delays a call, far from overflow. */
  private static final long NEVER = Long.MIN_VALUE / 4;

  final String name;
  final RateLimiterConfig config;
  private final int kind;
  private final long periodNanos;
  private final long calls;
  private final long spacingNanos;
  private final long maxWaitNanos;
  private final long toleranceNanos;
  private final long origin;

  /** SMOOTH: the instant the next call may start. FIXED_WINDOW: the next call's number. */
  @SuppressWarnings("unused") // through STATE
  private volatile long state;

  // ROLLING_WINDOW only, guarded by lock.
  private final ReentrantLock lock;
  private final long[] starts;
  private int next;
  private long lastStart = NEVER;

  /** A limiter read by a precise clock: SMOOTH tolerates no burst. */
  RateLimiter(String name, RateLimiterConfig config, long now) {
    this(name, config, now, 0);
  }

  /**
   * A limiter whose clock ticks every {@code toleranceNanos}: SMOOTH starts a call whose turn is at
   * most that far ahead without waiting (see the class notes).
   */
  RateLimiter(String name, RateLimiterConfig config, long now, long toleranceNanos) {
    this.name = name;
    this.toleranceNanos = toleranceNanos;
    this.config = config;
    this.periodNanos = nanos(config.period());
    this.calls = config.callsPerPeriod();
    this.spacingNanos = ceilDiv(periodNanos, calls);
    this.maxWaitNanos = nanos(config.maxWaitDuration());
    this.origin = now;
    switch (config.kind()) {
      case SMOOTH -> {
        kind = SMOOTH;
        state = NEVER;
        lock = null;
        starts = null;
      }
      case FIXED_WINDOW -> {
        kind = FIXED;
        state = 0;
        lock = null;
        starts = null;
      }
      case ROLLING_WINDOW -> {
        kind = ROLLING;
        lock = new ReentrantLock();
        starts = new long[(int) calls];
        Arrays.fill(starts, NEVER);
      }
      default -> throw new AssertionError(config.kind());
    }
  }

  /** Whether a decision admitted the call. */
  static boolean admitted(long decision) {
    return decision >= 0;
  }

  /** How long until a refused call would be admitted without waiting. */
  static long retryAfterNanos(long decision) {
    return -1 - decision;
  }

  /**
   * Decides a call at {@code now} (the caller's ticker reading): how long it waits before it
   * starts, or that it is refused (see the class notes for the encoding).
   */
  long acquire(long now) {
    return acquire(now, maxWaitNanos);
  }

  /**
   * {@link #acquire(long)} for a caller that may wait ({@code waits}) or may not (an asynchronous
   * call).
   */
  long acquire(long now, boolean waits) {
    return acquire(now, waits ? maxWaitNanos : 0);
  }

  private long acquire(long now, long maxWait) {
    if (kind == SMOOTH) {
      return smooth(now, maxWait);
    }
    return kind == FIXED ? fixed(now, maxWait) : rolling(now, maxWait);
  }

  private long smooth(long now, long maxWaitNanos) {
    for (; ; ) {
      long turn = (long) STATE.getVolatile(this);
      long early = turn <= now ? -1 : turn - now - toleranceNanos; // NEVER: no overflow
      long wait = early > 0 ? early : 0;
      if (wait > maxWaitNanos) {
        return refuse(wait);
      }
      if (STATE.compareAndSet(this, turn, Math.max(turn, now) + spacingNanos)) {
        return wait;
      }
    }
  }

  private long fixed(long now, long maxWaitNanos) {
    long elapsed = now - origin;
    long periodNow = elapsed < 0 ? 0 : elapsed / periodNanos;
    for (; ; ) {
      long number = (long) STATE.getVolatile(this);
      long first = periodNow * calls;
      long taken = Math.max(number, first);
      long wait = (taken - first) < calls ? 0 : origin + (taken / calls) * periodNanos - now;
      if (wait > maxWaitNanos) {
        return refuse(wait);
      }
      if (STATE.compareAndSet(this, number, taken + 1)) {
        return wait;
      }
    }
  }

  private long rolling(long now, long maxWaitNanos) {
    lock.lock();
    try {
      int slot = next;
      long start = Math.max(now, Math.max(starts[slot] + periodNanos, lastStart));
      long wait = start - now;
      if (wait > maxWaitNanos) {
        return refuse(wait);
      }
      starts[slot] = start;
      next = slot + 1 == starts.length ? 0 : slot + 1;
      lastStart = start;
      return wait;
    } finally {
      lock.unlock();
    }
  }

  private static long refuse(long wait) {
    return -1 - wait;
  }

  /** The exception a refused call fails with. */
  RateLimitedException refusal(long decision) {
    return new RateLimitedException(name, retryAfterNanos(decision), this);
  }

  static long nanos(Duration duration) {
    return duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1
        ? Long.MAX_VALUE
        : duration.toNanos();
  }

  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
