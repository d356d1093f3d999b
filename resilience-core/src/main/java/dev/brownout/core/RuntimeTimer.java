package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The runtime's one timer: it interrupts a synchronous call that runs past its timeout or its
 * deadline, on the caller's own thread (or the caller's wait for an attempt on the guard's
 * executor), and ends an asynchronous attempt that does. A call claims a pooled {@link Slot}, arms
 * it, runs, and settles it; nothing is allocated, locked or handed to another thread per call. The
 * same thread ticks the runtime's {@link CoarseClock} while anything reads it, so one thread per
 * runtime serves every timeout and every coarse reading of time.
 *
 * <p><b>Design.</b> A deadline scan over pooled slots rather than a hashed wheel. A call that does
 * not fire costs two CASes on a slot the caller usually finds at once (its striped start index), a
 * release store, and one read of {@link #parked}; no clock read (the timer dates a call when it
 * first sees it, so a timeout fires up to one tick late, within the resolution anyway); a wheel
 * would add a bucket insert and unlink per call, and a slot reused while a bucket still links it
 * needs a second generation check on the wheel side. The scan costs the timer about 1 ns per slot
 * each tick, and the pool holds as many slots as calls were ever timed at once (64 to start,
 * doubled at a new high-water mark, never shrunk): 10,000 virtual threads in timed calls cost ~10
 * µs per 1 ms tick. The timer ticks every millisecond only while a slot is armed, and parks
 * otherwise.
 *
 * <p><b>Slot protocol.</b> A slot's state is one {@code long}: a stamp (the call's number on this
 * slot) in the high bits and a phase in the low two bits, FREE → CLAIMED → ARMED → FREE for a call
 * that ends in time, ARMED → FIRING → FIRED → FREE for one the timer stops:
 *
 * <ul>
 *   <li>claim: CAS (s, FREE) → (s + 1, CLAIMED); the owner then writes thread and timeout, and
 *       publishes them with a release store of (s + 1, ARMED);
 *   <li>settle (owner): CAS ARMED → FREE (the call is done and the slot free in one step);
 *   <li>fire (timer): it reads the state, then thread and deadline, and if the deadline has passed
 *       CASes exactly the state it read to FIRING, interrupts the thread, then writes FIRED. The
 *       stamp makes a stale read harmless: a slot recycled since the read has another stamp, so the
 *       CAS fails and no later call is ever fired by an earlier call's deadline;
 *   <li>an owner whose settle lost spins until FIRED (the timer is between two plain steps), so the
 *       interrupt has been delivered and no later one can come from this slot; it then clears its
 *       flag and frees the slot.
 * </ul>
 *
 * <p><b>Interrupt rule.</b> The caller's flag after the call is what it was before the call, plus
 * any interrupt another thread sent while the timer did not fire. When the timer fired, the flag is
 * cleared and set again only if it was set as the call began: an interrupt from elsewhere that
 * arrives during a call the timer stops is taken for the timer's (both ask the body to stop, and
 * the call ends in a timeout either way).
 *
 * <p><b>Asynchronous attempts.</b> An {@link AsyncCall} arms a slot in phase ASYNC with itself as
 * the entry: no {@code ScheduledFuture}, no {@code AtomicBoolean} per attempt, since the slot's
 * state word is what decides the attempt's end. Whichever CASes ASYNC → CLAIMED first, the stage's
 * completion ({@link #settle(Slot, long)}) or the timer ({@link #expire}), ends the attempt; the
 * winner clears the entry (a slot never keeps a finished call reachable) and frees the slot. There
 * is no FIRING/FIRED hand-shake: nothing waits for the timer on the other side. The timer does not
 * run the call's timeout itself ({@link AsyncCall#expired} hands it to the runtime's scheduler): a
 * fallback or a dependent stage that blocks must not hold up every other timeout of the runtime.
 * When the runtime closes, {@link #stop} expires every armed asynchronous attempt at once on the
 * closing thread, which ends it as closed (no caller's stage is left pending, no permit held); an
 * attempt armed as the timer stops sees {@link #stopped} after its claim and expires itself.
 *
 * <p><b>Wake-up.</b> The timer publishes {@link #parked} = true, scans once more (a CLAIMED slot
 * counts as armed), then parks; a caller claims (a CAS), then reads {@link #parked}. Both sides are
 * sequentially consistent, so either the rescan sees the claimed slot or the caller sees the flag
 * and unparks: a caller pays an {@code unpark} only when the timer sleeps, never per call while it
 * ticks.
 */
final class RuntimeTimer {

  static final long FREE = 0;
  static final long CLAIMED = 1;
  static final long ARMED = 2;
  static final long FIRING = 3;
  static final long FIRED = 4;

  /** An asynchronous attempt's slot: armed, with an {@link AsyncCall} as its entry. */
  static final long ASYNC = 5;

  /** The phase bits of a state word; the stamp counts in the bits above them. */
  static final long PHASE = 7;

  static final long STAMP = 8;

  /** Tick of the timer while a slot is armed: the resolution of a timeout. */
  static final long TICK_NANOS = 1_000_000L;

  private static final int INITIAL_SLOTS = 64;

  private final String threadName;

  /** The runtime's coarse clock, refreshed by the same thread (see {@link CoarseClock}). */
  final CoarseClock clock = new CoarseClock(Ticker.system(), this::wakeIfParked);

  private volatile Slot[] slots;

  /** True while the timer sleeps, or before its thread started: the next armed call wakes it. */
  private volatile boolean parked = true;

  private volatile boolean stopped;
  private volatile Thread thread;

  RuntimeTimer(String threadName) {
    this.threadName = threadName;
    Slot[] initial = new Slot[INITIAL_SLOTS];
    for (int i = 0; i < initial.length; i++) {
      initial[i] = new Slot();
    }
    this.slots = initial;
  }

  /**
   * A pooled slot of a timed call; a field layout padded so that two callers' slots do not share a
   * cache line.
   */
  static final class Slot extends SlotState {
    long q0, q1, q2, q3, q4, q5, q6, q7;

    /**
     * The thread of the call armed on this slot. Left in place when the call ends (clearing it
     * before the slot is free would cost a third volatile write per call): a slot keeps its last
     * thread reachable until its next call, at most one thread per slot.
     */
    Thread owner;

    /** How long the call may run, from when the timer first sees it armed. */
    long nanos;

    /** The owner's interrupt flag as the call began. */
    boolean interruptedBefore;

    /** The asynchronous call whose attempt is armed on this slot (phase ASYNC), else null. */
    AsyncCall<?> entry;

    /** The timer's own: the state word whose deadline {@link #deadline} is. */
    long seen;

    /** The timer's own: when the call armed as {@link #seen} fires, on the timer's clock. */
    long deadline;
  }

  /** The state word, padded on the side of the object header. */
  static class SlotState {
    long p0, p1, p2, p3, p4, p5, p6, p7;
    volatile long state;
  }

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SlotState.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Claims a slot for the current thread and arms it to fire {@code nanos} from now. The slot must
   * be given to {@link #settle} in a {@code finally}.
   */
  Slot arm(long nanos) {
    Thread caller = Thread.currentThread();
    Slot slot = claim(caller);
    if (parked) {
      wake();
    }
    slot.owner = caller;
    slot.nanos = nanos;
    slot.interruptedBefore = caller.isInterrupted();
    long claimed = slot.state;
    STATE.setRelease(slot, claimed - CLAIMED + ARMED);
    return slot;
  }

  /**
   * Ends the call of an armed slot and frees it: true if the timer fired on it (the caller's
   * interrupt flag is then as it was before the call), false if the call ended in time.
   */
  static boolean settle(Slot slot) {
    long armed = slot.state;
    if ((armed & PHASE) == ARMED && STATE.compareAndSet(slot, armed, armed - ARMED + FREE)) {
      return false;
    }
    long fired;
    while (((fired = slot.state) & PHASE) != FIRED) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    if (slot.interruptedBefore) {
      Thread.currentThread().interrupt();
    }
    slot.state = fired - FIRED + FREE;
    return true;
  }

  /** The pool as it is now (for tests). */
  Slot[] slots() {
    return slots;
  }

  /**
   * Claims a slot for an asynchronous attempt, to be armed with {@link #arm(Slot, AsyncCall,
   * long)}.
   */
  Slot claim() {
    return claim(Thread.currentThread());
  }

  /**
   * Arms {@code slot} for the current attempt of {@code call}, to end it after {@code nanos}
   * through {@link AsyncCall#expired()} unless {@link #settle(Slot, long)} ends it first: the armed
   * state word, which settle needs. Expired at once if the timer has stopped.
   */
  long arm(Slot slot, AsyncCall<?> call, long nanos) {
    if (parked) {
      wake();
    }
    slot.nanos = nanos;
    slot.entry = call;
    long armed = slot.state - CLAIMED + ASYNC;
    STATE.setRelease(slot, armed);
    if (stopped) {
      // The claim's CAS and this read pair with stop's write and its sweep: one of them sees the
      // other.
      expire(slot, armed);
    }
    return armed;
  }

  /**
   * The asynchronous attempt armed on {@code slot} as {@code armed} ended: true if it is the
   * attempt's end (the slot is freed), false if the timer expired it first.
   */
  static boolean settle(Slot slot, long armed) {
    if (!STATE.compareAndSet(slot, armed, armed - ASYNC + CLAIMED)) {
      return false;
    }
    slot.entry = null;
    STATE.setRelease(slot, armed - ASYNC + FREE);
    return true;
  }

  /**
   * The timer's side of an asynchronous attempt: ends the attempt armed on {@code slot} as {@code
   * seen} unless its stage ended first, frees the slot, then tells the call. False if it had ended.
   */
  static boolean expire(Slot slot, long seen) {
    if ((seen & PHASE) != ASYNC || !STATE.compareAndSet(slot, seen, seen - ASYNC + CLAIMED)) {
      return false;
    }
    AsyncCall<?> call = slot.entry;
    slot.entry = null;
    STATE.setRelease(slot, seen - ASYNC + FREE);
    call.expired();
    return true;
  }

  private Slot claim(Thread caller) {
    Slot[] pool = slots;
    int mask = pool.length - 1;
    int start = (System.identityHashCode(caller) * 0x9E3779B9) >>> 8;
    for (int i = 0; i <= mask; i++) {
      Slot slot = pool[(start + i) & mask];
      long s = slot.state;
      if ((s & PHASE) == FREE && STATE.compareAndSet(slot, s, s + STAMP + CLAIMED)) {
        return slot;
      }
    }
    return grow(pool);
  }

  /** A new high-water mark of timed calls: doubles the pool and claims one of the new slots. */
  @SuppressWarnings("ReferenceEquality") // identity: has the pool been replaced since it was seen?
  private synchronized Slot grow(Slot[] seen) {
    Slot[] pool = slots;
    if (pool == seen) {
      pool = Arrays.copyOf(seen, seen.length * 2);
      for (int i = seen.length; i < pool.length; i++) {
        pool[i] = new Slot();
      }
      slots = pool;
    }
    for (Slot slot : pool) {
      long s = slot.state;
      if ((s & PHASE) == FREE && STATE.compareAndSet(slot, s, s + STAMP + CLAIMED)) {
        return slot;
      }
    }
    return grow(pool);
  }

  /** A reader asked the idle clock to tick: wakes the timer if it sleeps. */
  private void wakeIfParked() {
    if (parked) {
      wake();
    }
  }

  /** Starts the timer thread on first demand, or unparks it. */
  private void wake() {
    Thread running = thread;
    if (running == null) {
      running = start();
    }
    parked = false;
    LockSupport.unpark(running);
  }

  private synchronized Thread start() {
    Thread running = thread;
    if (running == null && !stopped) {
      running = new Thread(this::run, threadName);
      running.setDaemon(true);
      thread = running;
      running.start();
    }
    return running;
  }

  /**
   * Stops the timer thread: a synchronous call armed now runs on unstopped, an asynchronous attempt
   * is expired at once, on this thread.
   */
  void stop() {
    stopped = true;
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running);
    }
    for (Slot slot : slots) {
      long s;
      while (((s = slot.state) & PHASE) == CLAIMED) {
        Thread.onSpinWait(); // being armed, or being freed: either way it is ASYNC or done in a
        // moment
      }
      expire(slot, s);
    }
  }

  private void run() {
    while (!stopped) {
      if (busy()) {
        LockSupport.parkNanos(this, TICK_NANOS);
        continue;
      }
      parked = true;
      if (busy()) {
        parked = false;
        continue;
      }
      LockSupport.park(this);
      parked = false;
    }
    clock.stop();
  }

  /** Scans the slots and ticks the clock (both, always); true if either still needs the timer. */
  private boolean busy() {
    boolean armed = scan();
    boolean ticking = clock.tick();
    return armed || ticking;
  }

  /**
   * Fires every armed slot whose deadline has passed; true if any slot is still armed or claimed. A
   * call's deadline is set when a scan first sees it armed: the caller reads no clock, and a call
   * is stopped between its timeout and one tick after the next scan past it.
   */
  boolean scan() {
    long now = System.nanoTime();
    boolean armed = false;
    for (Slot slot : slots) {
      long s = slot.state;
      long phase = s & PHASE;
      if (phase == CLAIMED) {
        armed = true;
      } else if (phase != ARMED && phase != ASYNC) {
        // free, settling or fired: nothing to do
      } else if (slot.seen != s) {
        slot.seen = s;
        slot.deadline = now + slot.nanos;
        armed = true;
      } else if (now - slot.deadline < 0) {
        armed = true;
      } else if (phase == ASYNC) {
        expire(slot, s);
      } else {
        fire(slot, s);
      }
    }
    return armed;
  }

  /**
   * The timer's side: fires the call armed on {@code slot} as its state was {@code seen}, if it is
   * still that call and still armed; interrupts its thread, then tells it the interrupt is
   * delivered. False if the call settled first (or a later call holds the slot).
   */
  static boolean fire(Slot slot, long seen) {
    if ((seen & PHASE) != ARMED) {
      return false;
    }
    Thread owner = slot.owner;
    if (!STATE.compareAndSet(slot, seen, seen - ARMED + FIRING)) {
      return false;
    }
    owner.interrupt();
    slot.state = seen - ARMED + FIRED;
    return true;
  }
}
