package dev.brownout.core;

import dev.brownout.core.spi.Settings;
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
 * and a steady caller touches only its own line. Every permit is in exactly one stripe or held by one
 * call, so the number of running calls never exceeds the limit. The counts change only by atomic
 * updates, which order them; a wait (when configured) parks on a condition that a release signals
 * only when someone is waiting, so the release path stays a single atomic add otherwise.
 *
 * <p>A cell is a long: its low 32 bits are the stripe's free permits, its high 32 bits count the
 * successful calls of the one guard that {@linkplain #claimSuccessCount() claims} them. That guard
 * returns a permit and counts its success in one atomic add, instead of one for the permit and another
 * for a separate success counter: on a guard with a breaker and a bulkhead that is a third of the
 * atomic updates a call makes. When a cell's count reaches 2^31 it is folded into a total under a
 * sequence number, so a reader never sees a count go backwards.
 */
public final class Bulkhead {

  private static final VarHandle WAITERS;

  /** One success in a cell's high half. */
  private static final long SUCCESS = 1L << 32;

  /** The successes a fold moves out of a cell: its count's top bit, which makes the cell negative. */
  private static final long FOLDED_SUCCESSES = 1L << 31;

  /** Adding this to a cell clears its top bit: subtracts {@link #FOLDED_SUCCESSES} successes. */
  private static final long FOLD = Long.MIN_VALUE;

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
      cells.set(slot(stripe), maxConcurrentCalls / Stripes.COUNT + (stripe < maxConcurrentCalls % Stripes.COUNT ? 1 : 0));
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

  /** Takes a permit without waiting, starting at the calling thread's stripe {@code home}. */
  boolean tryAcquire(int home) {
    if (take(slot(home))) {
      return true;
    }
    // Two sweeps over the other stripes: a permit moving between stripes while we sweep is not missed
    // twice unless the bulkhead really is full or nearly so.
    for (int sweep = 0; sweep < 2; sweep++) {
      for (int i = 1; i < Stripes.COUNT; i++) {
        if (take(slot((home + i) & (Stripes.COUNT - 1)))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns a permit taken by {@link #acquire(int)} or {@link #tryAcquire()}. */
  void release() {
    release(Stripes.current());
  }

  /** Returns a permit to the calling thread's stripe {@code home}. */
  void release(int home) {
    cells.getAndIncrement(slot(home));
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
    if (cells.addAndGet(slot, SUCCESS + 1) < 0) {
      foldSuccesses(slot);
    }
    if (waiters != 0) {
      signalWaiter();
    }
  }

  /**
   * Lets one guard count its successes here ({@link #releaseAfterSuccess}); true for the first caller
   * only, so a bulkhead shared by several guards counts the successes of at most one of them.
   */
  boolean claimSuccessCount() {
    return successCountClaimed.compareAndSet(false, true);
  }

  /** The successes counted by {@link #releaseAfterSuccess} so far (a racy sum that never decreases). */
  long successes() {
    while (true) {
      int sequence = foldSequence.get();
      if ((sequence & 1) == 0) {
        long sum = foldedSuccesses.get();
        for (int i = 0; i < Stripes.COUNT; i++) {
          sum += cells.get(slot(i)) >>> 32;
        }
        if (foldSequence.get() == sequence) {
          return sum;
        }
      }
      Thread.onSpinWait();
    }
  }

  /** Starts stripe {@code stripe}'s success count at {@code count} (for tests of the fold). */
  void presetSuccesses(int stripe, long count) {
    cells.getAndAdd(slot(stripe), count * SUCCESS);
  }

  BulkheadFullException rejection() {
    return rejection;
  }

  private boolean take(int slot) {
    for (; ; ) {
      long cell = cells.get(slot);
      if (permits(cell) == 0) {
        return false;
      }
      if (cells.compareAndSet(slot, cell, cell - 1)) {
        return true;
      }
    }
  }

  /**
   * Moves 2^31 successes from the cell at {@code slot} (whose count has reached that) to {@link
   * #foldedSuccesses}, so the 32-bit count never wraps. Rare: once per 2^31 successes on a stripe.
   */
  private void foldSuccesses(int slot) {
    waitLock.lock();
    try {
      if (cells.get(slot) >= 0) {
        return; // another thread folded it first
      }
      foldSequence.incrementAndGet();
      cells.getAndAdd(slot, FOLD);
      foldedSuccesses.addAndGet(FOLDED_SUCCESSES);
      foldSequence.incrementAndGet();
    } finally {
      waitLock.unlock();
    }
  }

  private static int permits(long cell) {
    return (int) cell;
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
