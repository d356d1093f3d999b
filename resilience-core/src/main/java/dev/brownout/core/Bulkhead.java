package dev.brownout.core;

import dev.brownout.core.spi.Settings;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits how many calls run at once, so a slow dependency cannot take every thread of the caller.
 *
 * <p>Design note. A single semaphore counter is a cache line every calling thread writes twice per
 * call; with two cores that line bounces on every call. Here the permits are split over per-stripe
 * counters 128 bytes apart. A thread takes a permit from its own stripe, or, when that is empty, from
 * the others; it returns a permit to its own stripe, so permits drift to the threads that use them
 * and a steady caller touches only its own line. Every permit is in exactly one stripe or held by one
 * call, so the number of running calls never exceeds the limit. The counts change only by CAS, which
 * orders them; a wait (when configured) parks on a condition that a release signals only when
 * someone is waiting, so the release path stays a single CAS otherwise.
 */
public final class Bulkhead {

  private static final VarHandle WAITERS;

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
  private final AtomicIntegerArray stripes;
  private final BulkheadFullException rejection;

  private final ReentrantLock waitLock = new ReentrantLock();
  private final Condition permitReturned = waitLock.newCondition();
  /** Threads waiting for a permit; a release reads it (one volatile read) to skip signalling. */
  @SuppressWarnings("unused") // updated through WAITERS
  private volatile int waiters;

  Bulkhead(String name, BulkheadConfig config) {
    this.name = Settings.name("bulkhead.name", name);
    this.maxConcurrentCalls = config.maxConcurrentCalls();
    this.maxWaitNanos = config.maxWaitDuration().toNanos();
    this.stripes = new AtomicIntegerArray((Stripes.COUNT + 1) * Stripes.INT_PAD);
    for (int i = 0; i < maxConcurrentCalls; i++) {
      int slot = slot(i % Stripes.COUNT);
      stripes.set(slot, stripes.get(slot) + 1);
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
      sum += stripes.get(slot(i));
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
    stripes.getAndIncrement(slot(home));
    if (waiters != 0) {
      signalWaiter();
    }
  }

  BulkheadFullException rejection() {
    return rejection;
  }

  private boolean take(int slot) {
    for (; ; ) {
      int available = stripes.get(slot);
      if (available == 0) {
        return false;
      }
      if (stripes.compareAndSet(slot, available, available - 1)) {
        return true;
      }
    }
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
    return (stripe + 1) * Stripes.INT_PAD;
  }

  @Override
  public String toString() {
    return "Bulkhead[" + name + ", " + availablePermits() + "/" + maxConcurrentCalls + " free]";
  }
}
