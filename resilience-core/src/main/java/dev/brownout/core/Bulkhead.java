package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits how many calls run at once, so a slow dependency cannot take every thread of the caller.
 *
 * <p>Design note. A single semaphore counter is a cache line every calling thread writes twice per
 * call; with two cores that line bounces on every call. Here the permits are split over per-stripe
 * cells 128 bytes apart. A thread takes a permit from its own stripe, or, when that is empty, from
 * the others; it returns a permit to its own stripe, so permits drift to the threads that use them
 * and a steady caller touches only its own line. Every permit is in exactly one stripe or held by
 * one call, so the number of running calls never exceeds the limit. The cells change only by atomic
 * updates; a wait (when configured) parks on a condition that a release signals only when someone
 * is waiting, so the release path stays a single atomic add otherwise.
 *
 * <p>A cell is a long: its low 20 bits are the stripe's free permits; the next 32 count the
 * successes of the one guard that {@linkplain #claimSuccessCount() claims} them, so that guard
 * returns a permit and counts its success in one atomic add instead of two; the top 12 count the
 * stripe's releases.
 *
 * <p>That release count is what makes a rejection exact. A permit can move between stripes while a
 * thread looks for one, so finding every stripe empty once proves nothing. A thread that found them
 * all empty reads them again: a stripe's permits can only grow by a release, so if no stripe's
 * release count changed, every stripe was empty at one moment between the two reads, and the
 * bulkhead really was full. Otherwise it looks again, up to 64 rounds. (The sum of the 12-bit
 * counts could in principle come round to the same value after 4,096 releases between two reads;
 * that many releases, like 64 rounds in which every permit was taken whenever looked at, mean a
 * bulkhead that is full in all but name.)
 *
 * <p>A cell's success count is folded into a total when it reaches 2^31, under a sequence number,
 * so a reader never sees the count go backwards.
 */
public final class Bulkhead {

  private static final VarHandle WAITERS;

  /** The most permits a bulkhead can have: what a cell's 20 permit bits can hold. */
  static final int MAX_PERMITS = (1 << 20) - 1;

  private static final long PERMITS = MAX_PERMITS;
  private static final int SUCCESS_SHIFT = 20;
  private static final long SUCCESS = 1L << SUCCESS_SHIFT;
  private static final long SUCCESSES = 0xFFFF_FFFFL;

  /**
   * A cell's success count reaching this (its top bit) is folded out of the cell: rarely enough (a
   * few times a minute at most, even for one thread calling flat out) that the JIT keeps the fold
   * out of the compiled hot path.
   */
  private static final long FOLDED_SUCCESSES = 1L << 31;

  private static final long FOLD_BIT = FOLDED_SUCCESSES << SUCCESS_SHIFT;
  private static final int RELEASES_SHIFT = 52;

  /** One release; the count wraps at 2^12 by overflowing the long, disturbing nothing below it. */
  private static final long RELEASE = 1L << RELEASES_SHIFT;

  /** The most rounds a thread sweeps the stripes for a permit that keeps changing hands. */
  private static final int SWEEPS = 64;

  static {
    try {
      WAITERS = MethodHandles.lookup().findVarHandle(Bulkhead.class, "waiters", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final int maxConcurrentCalls;
  private final long maxWaitNanos;
  private final AtomicLongArray cells;
  private final BulkheadFullException rejection;
  private final AtomicBoolean successCountClaimed = new AtomicBoolean();

  /** Guards the rare paths: waiting for a permit, signalling a waiter, folding a success count. */
  private final ReentrantLock waitLock = new ReentrantLock();

  private final Condition permitReturned = waitLock.newCondition();

  /** Threads waiting for a permit; a release reads it (one volatile read) to skip signalling. */
  @SuppressWarnings("unused") // updated through WAITERS
  private volatile int waiters;

  /** Successes folded out of the cells; changed only under {@link #waitLock}, inside a fold. */
  private final AtomicLong foldedSuccesses = new AtomicLong();

  /** Odd while a fold moves a count from a cell to {@link #foldedSuccesses}. */
  private final AtomicInteger foldSequence = new AtomicInteger();

  Bulkhead(String name, BulkheadConfig config) {
    this.name = Settings.name("bulkhead.name", name);
    this.maxConcurrentCalls = config.maxConcurrentCalls();
    this.maxWaitNanos = config.maxWaitDuration().toNanos();
    this.cells = new AtomicLongArray((Stripes.COUNT + 1) * Stripes.LONG_PAD);
    for (int stripe = 0; stripe < Stripes.COUNT; stripe++) {
      cells.set(
          slot(stripe),
          maxConcurrentCalls / Stripes.COUNT
              + (stripe < maxConcurrentCalls % Stripes.COUNT ? 1 : 0));
    }
    this.rejection = new BulkheadFullException(name);
  }

  public String name() {
    return name;
  }

  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /** The permits free at this moment (a racy sum: exact when no call starts or ends meanwhile). */
  public int availablePermits() {
    int sum = 0;
    for (int i = 0; i < Stripes.COUNT; i++) {
      sum += permits(cells.get(slot(i)));
    }
    return sum;
  }

  /** Takes a permit, waiting up to the configured time; false if none was free. */
  boolean acquire(int home) throws InterruptedException {
    if (tryAcquire(home)) {
      return true;
    }
    return maxWaitNanos > 0 && awaitPermit(home);
  }

  /** Takes a permit without waiting. */
  boolean tryAcquire() {
    return tryAcquire(Stripes.current());
  }

  /**
   * Takes a permit without waiting, starting at the calling thread's stripe {@code home}; false
   * only if at some moment during the call every permit was taken.
   */
  boolean tryAcquire(int home) {
    int slot = slot(home);
    long cell = cells.get(slot);
    return (permits(cell) != 0 && cells.compareAndSet(slot, cell, cell - 1)) || sweep(home);
  }

  /**
   * Looks for a permit in every stripe until it takes one or sees them all empty at once. Each
   * round that fails while permits change hands means others are being served; after {@link
   * #SWEEPS} such rounds the bulkhead is at its limit in all but name, and the caller is refused
   * rather than left spinning.
   */
  private boolean sweep(int home) {
    for (int round = 1; ; round++) {
      long releases = 0;
      for (int i = 0; i < Stripes.COUNT; i++) {
        int slot = slot((home + i) & (Stripes.COUNT - 1));
        long cell = cells.get(slot);
        while (permits(cell) != 0) {
          if (cells.compareAndSet(slot, cell, cell - 1)) {
            return true;
          }
          cell = cells.get(slot);
        }
        // The release count of the very read that found the stripe empty.
        releases += cell >>> RELEASES_SHIFT;
      }
      // Every stripe looked empty. If none has had a release since, they all were at once.
      long releasesNow = 0;
      for (int i = 0; i < Stripes.COUNT; i++) {
        releasesNow += cells.get(slot((home + i) & (Stripes.COUNT - 1))) >>> RELEASES_SHIFT;
      }
      if (releasesNow == releases || round == SWEEPS) {
        return false;
      }
      Thread.onSpinWait();
    }
  }

  /** Returns a permit taken by {@link #acquire(int)} or {@link #tryAcquire()}. */
  void release() {
    release(Stripes.current());
  }

  /** Returns a permit to the calling thread's stripe {@code home}. */
  void release(int home) {
    cells.getAndAdd(slot(home), RELEASE + 1);
    if (waiters != 0) {
      signalWaiter();
    }
  }

  /**
   * Returns a permit to stripe {@code home} and counts a success of the guard that {@linkplain
   * #claimSuccessCount() claimed} the count, in one atomic add.
   */
  void releaseAfterSuccess(int home) {
    int slot = slot(home);
    if ((cells.addAndGet(slot, RELEASE + SUCCESS + 1) & FOLD_BIT) != 0) {
      foldSuccesses(slot);
    }
    if (waiters != 0) {
      signalWaiter();
    }
  }

  /**
   * Lets one guard count its successes here ({@link #releaseAfterSuccess}); true for the first
   * caller only, so a bulkhead shared by several guards counts the successes of at most one of
   * them.
   */
  boolean claimSuccessCount() {
    return successCountClaimed.compareAndSet(false, true);
  }

  /**
   * The successes counted by {@link #releaseAfterSuccess} so far (a racy sum that never decreases).
   */
  long successes() {
    while (true) {
      int sequence = foldSequence.get();
      if ((sequence & 1) == 0) {
        long sum = foldedSuccesses.get();
        for (int i = 0; i < Stripes.COUNT; i++) {
          sum += (cells.get(slot(i)) >>> SUCCESS_SHIFT) & SUCCESSES;
        }
        if (foldSequence.get() == sequence) {
          return sum;
        }
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Starts stripe {@code stripe}'s success count at {@code count}, below {@link #FOLDED_SUCCESSES}
   * (for tests of the fold).
   */
  void presetSuccesses(int stripe, long count) {
    cells.getAndAdd(slot(stripe), count * SUCCESS);
  }

  BulkheadFullException rejection() {
    return rejection;
  }

  /**
   * Moves 2^31 successes from the cell at {@code slot} (whose count has reached that) to {@link
   * #foldedSuccesses}, so the 32-bit count never wraps. Once per 2^31 successes on a stripe.
   */
  private void foldSuccesses(int slot) {
    waitLock.lock();
    try {
      if ((cells.get(slot) & FOLD_BIT) == 0) {
        return; // another thread folded it first
      }
      foldSequence.incrementAndGet();
      cells.getAndAdd(slot, -FOLD_BIT);
      foldedSuccesses.addAndGet(FOLDED_SUCCESSES);
      foldSequence.incrementAndGet();
    } finally {
      waitLock.unlock();
    }
  }

  private static int permits(long cell) {
    return (int) (cell & PERMITS);
  }

  private boolean awaitPermit(int home) throws InterruptedException {
    long remaining = maxWaitNanos;
    waitLock.lock();
    try {
      WAITERS.getAndAdd(this, 1);
      try {
        while (true) {
          if (tryAcquire(home)) {
            return true;
          }
          if (remaining <= 0) {
            return false;
          }
          remaining = permitReturned.awaitNanos(remaining);
          if (Thread.interrupted()) {
            // Interrupted and signalled before this thread ran, the wait returns normally with the
            // flag set. The caller has stopped waiting (a timeout cancels the task), so take no
            // permit, and pass the signal on to the next waiter.
            permitReturned.signal();
            throw new InterruptedException();
          }
        }
      } finally {
        WAITERS.getAndAdd(this, -1);
      }
    } finally {
      waitLock.unlock();
    }
  }

  private void signalWaiter() {
    waitLock.lock();
    try {
      permitReturned.signal();
    } finally {
      waitLock.unlock();
    }
  }

  private static int slot(int stripe) {
    return (stripe + 1) * Stripes.LONG_PAD;
  }

  @Override
  public String toString() {
    return "Bulkhead[" + name + ", " + availablePermits() + "/" + maxConcurrentCalls + " free]";
  }
}
