package dev.brownout.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * An adaptive concurrency limit: admits a call while fewer than the limit are in flight, and learns
 * the limit from the calls' latencies and drops (see {@link LimiterConfig}).
 *
 * <pre>{@code
 * Limiter.Partition checkout = limiter.partition("checkout");
 * long permit = checkout.tryAcquire();
 * if (permit == Limiter.REFUSED) {
 *   return tooBusy();
 * }
 * try {
 *   Response response = handle(request);
 *   checkout.onSuccess(permit);
 *   return response;
 * } catch (TimeoutException e) {
 *   checkout.onDropped(permit);        // a timeout says the dependency is overloaded
 *   throw e;
 * } catch (RuntimeException e) {
 *   checkout.onIgnored(permit);        // a failure says nothing about load
 *   throw e;
 * }
 * }</pre>
 *
 * <p>Every permit must be given back exactly once, by one of the three {@code on...} methods of the
 * partition that gave it.
 *
 * <p>Design note. The hot path is an admission (a compare-and-set of the in-flight count, and an
 * addition to the partition's when there are partitions) and its release; nothing is allocated and
 * nothing locks: a permit is a long. A clock read costs more than all of that (about 30 ns on a
 * virtualised clock source, where the rest costs 15), so latency is sampled: while a window sees
 * few calls, every call is timed (its permit is its start reading, and its end reads the clock and
 * adds to the window's sums); once a window has seen many more calls than it needs (four times
 * minSamples, at least 256), the next window times about that many, every n-th call for the power
 * of two n that gets closest from above (the count that admits a call numbers it, so choosing costs
 * nothing and a run is repeatable), and the others' permits say they are untimed. The least of 256
 * latencies is as steady a measure of the dependency as the least of a million, and it is the same
 * statistic window after window, which is what the algorithms compare. The limit itself moves only
 * when a window closes, at most once every {@link LimiterConfig#minWindow()}: the one caller that
 * closes it (by a compare-and-set of the window's start) takes the window's sums, runs the
 * algorithm and publishes the new limit with one volatile write. A sum taken while other calls
 * still add to it may move a sample into the next window; a limit learned over hundreds of samples
 * does not notice.
 *
 * <p>Samples of a window. A call that started before the window began is not a sample of it: its
 * latency spans the re-measurement, and mixing it in would let an old queue's latency count against
 * the new limit. Its drop still counts (a timeout is news whenever it comes).
 *
 * <p>Why one file of 700 lines (about 425 of code). Admission, the choice of which calls are timed,
 * the window's sums and its close, and the partitions' shares all move on the same packed in-flight
 * and call-number words, under one compare-and-set protocol whose argument (above) spans all of
 * them; split across classes, each would need the others' private state. What stands apart already
 * does: the algorithms ({@link LimitAlgorithm}) and the configuration ({@link LimiterConfig}). A
 * {@link Partition} is nested because it is a view of this limiter's words.
 */
public final class Limiter {

  /** What {@link Partition#tryAcquire()} returns for a refused call. */
  public static final long REFUSED = Long.MIN_VALUE;

  /** The permit of an admitted call whose latency is not sampled. */
  static final long UNTIMED = Long.MIN_VALUE + 1;

  /**
   * One call admitted, in {@link #calls}: the sequence number moves up by one, in flight by one.
   */
  private static final long ADMITTED = (1L << 32) + 1;

  /** The highest limit a limiter may be given. */
  public static final int MAX_LIMIT = 1 << 20;

  private static final VarHandle CALLS;
  private static final VarHandle PARTITION_IN_FLIGHT;
  private static final VarHandle WINDOW_START;
  private static final VarHandle MIN_LATENCY;
  private static final VarHandle PEAK;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CALLS = lookup.findVarHandle(Limiter.class, "calls", long.class);
      WINDOW_START = lookup.findVarHandle(Limiter.class, "windowStart", long.class);
      MIN_LATENCY = lookup.findVarHandle(Limiter.class, "minLatency", long.class);
      PEAK = lookup.findVarHandle(Limiter.class, "peak", int.class);
      PARTITION_IN_FLIGHT = lookup.findVarHandle(Partition.class, "inFlight", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  private final LimiterConfig config;
  private final Ticker ticker;

  /** The runtime's coarse clock: an untimed release reads it to notice an overdue window. */
  private final Ticker clock;

  private final LimitAlgorithm algorithm;
  private final long windowNanos;
  private final Partition[] partitions;
  private final Partition unnamed;
  private final boolean partitioned;

  private volatile int limit;

  /** A call is timed when its sequence number has none of these bits set: 0 times every call. */
  private volatile long sampleMask;

  /**
   * The samples a window aims at: enough for a steady minimum, few enough that the clock costs
   * nothing.
   */
  private final int targetSamples;

  /**
   * The calls admitted so far (the high 32 bits, wrapping) and in flight now (the low 32): one
   * compare-and-set admits a call and numbers it, so sampling every n-th call costs nothing more.
   */
  @SuppressWarnings("unused") // through CALLS
  private volatile long calls;

  // The open window.
  @SuppressWarnings("unused") // through WINDOW_START
  private volatile long windowStart;

  private final LongAdder samples = new LongAdder();
  private final LongAdder latencySum = new LongAdder();

  /** The squares of the samples' latencies: with their sum, the noise of the window's average. */
  private final DoubleAdder latencySquares = new DoubleAdder();

  private final LongAdder drops = new LongAdder();

  /** Drops of timed calls: with the window's samples, its drop rate. */
  private final LongAdder timedDrops = new LongAdder();

  /**
   * The calls in flight as each timed call ended: their average is the window's mean concurrency.
   */
  private final LongAdder inFlightSum = new LongAdder();

  @SuppressWarnings("unused") // through MIN_LATENCY
  private volatile long minLatency = Long.MAX_VALUE;

  @SuppressWarnings("unused") // through PEAK
  private volatile int peak;

  // Written only by the caller that closes a window (one at a time); read by anyone.
  /**
   * The no-load evidence: the least latency and the limit of accepted windows, oldest first from
   * next.
   */
  private final long[] evidenceLatency;

  private final int[] evidenceLimit;

  private final long[] evidenceAverage;

  /**
   * The throughput of each window kept as evidence, by Little's law its mean calls in flight over
   * its average latency (per nanosecond), if it showed no queue; 0 if it did (see saturation).
   */
  private final double[] evidenceThroughput;

  /** The slot the last closed window took in the evidence, or -1 if it took none. */
  private int newestEvidence = -1;

  private long evidence;
  private long refusedBefore;
  private int waitingWindows;

  /**
   * The limit after the last window in which busy calls waited or dropped: where slow start stops.
   */
  private int congested = Integer.MAX_VALUE;

  /** The concurrency at which the dependency saturates, as last estimated; 0 while unknown. */
  private double saturation;

  /** Whether the last window's average showed a queue forming (see saturation). */
  private boolean formingBefore;

  /** Whether every call of the last window waited (see saturation). */
  private boolean waitedBefore;

  /** Set by {@link #remeasure()}: the next window to close starts the evidence afresh. */
  private volatile boolean forget;

  private volatile Window last = Window.NONE;

  /** A limiter whose ticker is also its coarse clock (a test's hand-driven ticker). */
  Limiter(String name, LimiterConfig config, Ticker ticker) {
    this(name, config, ticker, ticker);
  }

  Limiter(String name, LimiterConfig config, Ticker ticker, Ticker clock) {
    this.name = name;
    this.config = config;
    this.ticker = ticker;
    this.clock = clock;
    this.algorithm = LimitAlgorithm.of(config);
    this.windowNanos = config.minWindow().toNanos();
    this.limit = config.initialLimit();
    this.targetSamples = Math.max(4 * config.minSamples(), 256);
    this.evidenceLatency = new long[config.noLoadWindows()];
    this.evidenceLimit = new int[config.noLoadWindows()];
    this.evidenceAverage = new long[config.noLoadWindows()];
    this.evidenceThroughput = new double[config.noLoadWindows()];
    Map<String, Double> shares = config.partitions();
    this.partitioned = !shares.isEmpty();
    this.partitions = new Partition[shares.size() + 1];
    int i = 0;
    double total = 0;
    for (Map.Entry<String, Double> share : shares.entrySet()) {
      partitions[i++] = new Partition(share.getKey(), share.getValue());
      total += share.getValue();
    }
    this.unnamed = new Partition("", partitioned ? Math.max(0, 1 - total) : 1);
    partitions[i] = unnamed;
    for (Partition partition : partitions) {
      partition.guarantee(limit);
    }
    this.windowStart = ticker.read();
  }

  public String name() {
    return name;
  }

  public LimiterConfig config() {
    return config;
  }

  /** The current limit. */
  public int limit() {
    return limit;
  }

  /** The calls in flight now. */
  public int inFlight() {
    return (int) (long) CALLS.getVolatile(this);
  }

  /**
   * How close the limiter is to refusing calls, as of the last closed window ({@link
   * Window#pressure()}). The signal a brownout level controller follows to shed optional work
   * before the limiter has to refuse requests.
   */
  public double pressure() {
    return last.pressure();
  }

  /** What the last closed window measured and decided. */
  public Window lastWindow() {
    return last;
  }

  /** The partition of this name; the calls of no partition use {@link #tryAcquire()}. */
  public Partition partition(String partition) {
    for (Partition p : partitions) {
      if (p != unnamed && p.name.equals(partition)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "limiter '"
            + name
            + "' has no partition '"
            + partition
            + "'; it has "
            + config.partitions().keySet());
  }

  /** The partition of calls of no partition (named ""): {@link #tryAcquire()}'s. */
  Partition unnamed() {
    return unnamed;
  }

  /** The partitions, declared first, then the one of calls of no partition (named ""). */
  public List<Partition> partitions() {
    return List.of(partitions);
  }

  /** Admits a call of no partition: {@link Partition#tryAcquire()} of the unnamed partition. */
  public long tryAcquire() {
    return unnamed.tryAcquire();
  }

  /** Gives back a permit of {@link #tryAcquire()} for a call that succeeded. */
  public void onSuccess(long permit) {
    unnamed.onSuccess(permit);
  }

  /**
   * Gives back a permit of {@link #tryAcquire()} for a call that timed out or was refused
   * downstream.
   */
  public void onDropped(long permit) {
    unnamed.onDropped(permit);
  }

  /** Gives back a permit of {@link #tryAcquire()} for a call that says nothing about load. */
  public void onIgnored(long permit) {
    unnamed.onIgnored(permit);
  }

  /**
   * Admits a call: its sequence number, or -1 if refused. Below the limit any call is admitted (and
   * counted in its partition afterwards); at the limit, a call of a partition is admitted only by
   * reserving one of its guaranteed slots first (a compare-and-set of the partition's count below
   * its guarantee), so a partition never holds more than its guarantee by being admitted at the
   * limit, and the calls in flight exceed the limit by at most the partitions' guarantees.
   */
  private long admit(Partition partition) {
    int max = limit;
    for (; ; ) {
      long now = (long) CALLS.getVolatile(this);
      int inFlight = (int) now;
      if (inFlight >= max) {
        return partitioned && partition.reserveGuaranteed()
            ? counted(inFlight, (long) CALLS.getAndAdd(this, ADMITTED))
            : -1;
      }
      if (CALLS.compareAndSet(this, now, now + ADMITTED)) {
        if (partitioned) {
          PARTITION_IN_FLIGHT.getAndAdd(partition, 1);
        }
        return counted(inFlight, now);
      }
    }
  }

  /**
   * The sequence number of a call admitted when {@code calls} read {@code before}; notes the peak.
   */
  private long counted(int inFlight, long before) {
    int now = Math.max(inFlight, (int) before) + 1;
    if (now > (int) PEAK.getOpaque(this)) {
      raisePeak(now);
    }
    return (before >>> 32) & 0xFFFF_FFFFL;
  }

  private void raisePeak(int seen) {
    for (int p = (int) PEAK.getVolatile(this); seen > p; p = (int) PEAK.getVolatile(this)) {
      if (PEAK.compareAndSet(this, p, seen)) {
        return;
      }
    }
  }

  /**
   * The permit of the admitted call numbered {@code sequence}: its start, if its latency is a
   * sample; {@link #UNTIMED} if not.
   */
  private long start(long sequence) {
    if ((sequence & sampleMask) == 0) {
      long now = ticker.read();
      return now > UNTIMED ? now : UNTIMED + 1;
    }
    return UNTIMED;
  }

  private void release(long start, int result) {
    int before = (int) (long) CALLS.getAndAdd(this, -1L);
    if (start == UNTIMED) {
      if (result == DROPPED) {
        drops.increment();
      }
      if (sampleMask != 0
          && clock.read() - (long) WINDOW_START.getOpaque(this) >= 2 * windowNanos) {
        // The window is a whole window overdue: the load fell since the sampling was chosen, and
        // too few calls are timed to close it. Time every call until it closes.
        sampleMask = 0;
      }
      return;
    }
    long now = ticker.read();
    long opened = (long) WINDOW_START.getVolatile(this);
    if (result == DROPPED) {
      drops.increment();
      timedDrops.increment();
    } else if (result == SUCCEEDED && start - opened >= 0) {
      long latency = now - start;
      samples.increment();
      latencySum.add(latency);
      latencySquares.add((double) latency * latency);
      inFlightSum.add(before);
      if (latency < (long) MIN_LATENCY.getOpaque(this)) {
        lowerMinimum(latency);
      }
    }
    if (now - opened >= windowNanos) {
      close(opened, now);
    }
  }

  private void lowerMinimum(long latency) {
    for (long m = (long) MIN_LATENCY.getVolatile(this);
        latency < m;
        m = (long) MIN_LATENCY.getVolatile(this)) {
      if (MIN_LATENCY.compareAndSet(this, m, latency)) {
        return;
      }
    }
  }

  private static final int SUCCEEDED = 0;
  private static final int DROPPED = 1;
  private static final int IGNORED = 2;

  /** Closes the window if it has enough samples and no one else closes it. */
  private void close(long opened, long now) {
    long count = samples.sum();
    long dropped = drops.sum();
    if (count + dropped < config.minSamples() || !WINDOW_START.compareAndSet(this, opened, now)) {
      return;
    }
    count = samples.sumThenReset();
    long sum = latencySum.sumThenReset();
    double squares = latencySquares.sumThenReset();
    long concurrency = inFlightSum.sumThenReset();
    dropped = drops.sumThenReset();
    long timedDropped = timedDrops.sumThenReset();
    long refusedNow = 0;
    for (Partition partition : partitions) {
      refusedNow += partition.refused();
    }
    long refusals = refusedNow - refusedBefore;
    refusedBefore = refusedNow;
    long seenCalls = (count + timedDropped) * (sampleMask + 1);
    sampleMask = Long.highestOneBit(Math.max(1, seenCalls / targetSamples)) - 1;
    long minimum = count > 0 ? (long) MIN_LATENCY.getAndSet(this, Long.MAX_VALUE) : Long.MAX_VALUE;
    int seen = (int) PEAK.getAndSet(this, inFlight());
    int before = limit;
    double average = count > 0 ? (double) sum / count : Double.NaN;
    double error =
        count > 1 ? Math.sqrt(Math.max(0, squares / count - average * average) / count) : 0;
    long noLoad = noLoad(minimum, count > 0 ? (long) average : Long.MAX_VALUE, before);
    long noLoadAverage = noLoadAverage();
    boolean cut = timedDropped > config.dropThreshold() * (count + timedDropped);
    boolean waiting =
        noLoad != Long.MAX_VALUE
            && minimum != Long.MAX_VALUE
            && minimum - noLoad >= Window.QUEUE_TOLERANCE * noLoad;
    int next = before;
    if (!(algorithm instanceof LimitAlgorithm.Fixed)) {
      double estimate = algorithm.next(before, minimum, noLoad, seen, cut);
      if (refusals > 0 && !cut && !waiting && before < congested) {
        // Refusing while nothing waits, below the limit at which calls last waited: the limit is
        // below
        // what the dependency can take (a quiet spell kept it low, say). Double it, up to that
        // limit,
        // as TCP's slow start does up to its threshold, rather than step by log10.
        estimate = Math.max(estimate, Math.min(2.0 * before, congested));
      }
      estimate = Math.min(estimate, config.maxInFlightFactor() * Math.max(seen, 1));
      next = (int) Math.max(config.minLimit(), Math.min(config.maxLimit(), Math.round(estimate)));
      if (cut) {
        next =
            Math.max(
                config.minLimit(),
                Math.min(next, before - 1)); // a cut always cuts, even a small limit
      }
    }
    for (Partition partition : partitions) {
      partition.guarantee(next);
    }
    limit = next;
    double meanInFlight = count > 0 ? (double) concurrency / count : seen;
    double busy =
        count > 0 && noLoadAverage != Long.MAX_VALUE && average > 0
            ? meanInFlight * Math.min(1.0, noLoadAverage / average)
            : meanInFlight;
    double saturation =
        saturation(busy, meanInFlight, average, count > 0 ? minimum : 0, noLoad, noLoadAverage);
    if (cut || (waiting && seen * 2 >= before)) {
      // Waiting counts as congestion only in a window that used half its limit or more: a quiet
      // window's
      // fastest few calls can be slow by chance, and that must not end slow start for good.
      congested = next;
    }
    ageBaseline(waiting && refusals == 0 && !cut && next >= before);
    last =
        new Window(
            count,
            dropped,
            refusals,
            count > 0 ? (long) average : 0,
            (long) error,
            count > 0 ? minimum : 0,
            noLoad == Long.MAX_VALUE ? 0 : noLoad,
            noLoadAverage == Long.MAX_VALUE ? 0 : noLoadAverage,
            meanInFlight,
            busy,
            saturation,
            seen,
            before,
            next);
  }

  /**
   * The concurrency at which the dependency saturates, as best known after a window (0 while
   * unknown), from the window's busy concurrency: by Little's law the calls in flight are the
   * arrival rate times the average latency, and the calls being served are the arrival rate times
   * the service time, so {@code busy = meanInFlight × noLoadAverage / average}, where the no-load
   * average latency stands for the service time.
   *
   * <p>Two windows in a row in which every call waited (the fastest call took {@link
   * Window#QUEUE_TOLERANCE} longer than no-load, or more) saw the dependency saturated: the
   * second's busy concurrency is what the dependency serves at once, and replaces the estimate. Two
   * windows whose average latency is that much over the no-load average saw a queue form; the busy
   * concurrency is a first estimate when there is none (a little low: a queue forms just below
   * saturation, so pressure reads high a little early, the safe side), or a better one when it is
   * above the estimate. A window with no queue whose busy concurrency is above the estimate shows
   * the estimate wrong (the dependency scaled out): it is dropped, not raised to that concurrency,
   * which would read as fully used; the next queue measures it again. Shedding features changes the
   * work of a call, not how many calls the dependency serves at once, so the estimate survives
   * {@link #remeasure()}.
   *
   * <p>Calls also take longer when the dependency itself becomes slower (a part of the work times
   * out, say), with no queue at all; callers that wait for their answers then ask less of it, and
   * its throughput falls. A queue forms when more is asked of a dependency, never less: a window
   * counts as saturated only if its throughput (by Little's law, its calls in flight over their
   * average latency) is at least that of every window without a queue kept as evidence of the
   * no-load latency, less {@link Window#QUEUE_TOLERANCE} for noise, and its busy concurrency at
   * least 1, the least a window without a queue reads (the call that ends is in flight). Without
   * this, one 250 ms timeout behind 40 ms pages set the estimate to about 0.6; once the slow part
   * was shed, the quick pages read as more than fully used, and a level controller shed every part
   * and kept them shed. Callers that send at a fixed rate whatever the latency keep the throughput
   * of a slower dependency; its window may then be learnt as saturated, at about the load of the
   * moment, which a later window without a queue that serves more drops again. A dependency that
   * lost capacity serves less too, and is not learnt either while the old windows are kept: its
   * queue reads in the waiting and queue terms of the pressure, and once the no-load latency is
   * measured again, the next queue teaches its new capacity.
   *
   * <p>Why not the calls in flight times the share of the fastest call's latency that was not
   * waiting: the fastest call waited least, so that share overstates service, and the estimate with
   * it (by two thirds in one measured run, which then read the pressure far too low).
   */
  private double saturation(
      double busy,
      double meanInFlight,
      double average,
      long minimum,
      long noLoad,
      long noLoadAverage) {
    if (noLoad == Long.MAX_VALUE
        || noLoadAverage == Long.MAX_VALUE
        || minimum <= 0
        || Double.isNaN(average)) {
      formingBefore = false;
      waitedBefore = false;
      return saturation; // a slot it took in the evidence already reads 0: see noLoad
    }
    boolean everyCallWaited = minimum - noLoad >= Window.QUEUE_TOLERANCE * noLoad;
    double overNoLoad = average - noLoadAverage;
    boolean queued = overNoLoad >= Window.QUEUE_TOLERANCE * noLoadAverage;
    boolean forming = overNoLoad >= Window.QUEUE_TOLERANCE / 2 * noLoadAverage;
    // A queue must show in two windows in a row: one slow outlier (a pause) moves one window's
    // average as much as a queue does, and a few slow calls of a noisy machine its least latency.
    boolean formed = formingBefore;
    boolean waited = waitedBefore;
    formingBefore = forming;
    waitedBefore = everyCallWaited;
    // A dependency that became slower also makes calls take longer: a full dependency is told from
    // it by serving at least as many calls at once as it served before.
    double throughput = meanInFlight / average;
    boolean full =
        busy >= 1.0 && throughput >= (1 - Window.QUEUE_TOLERANCE) * mostServedWithoutQueue();
    keepThroughput(forming || everyCallWaited ? 0 : throughput);
    if (full
        && ((everyCallWaited && waited)
            || (queued && formed && busy > saturation)
            || (forming && formed && saturation == 0 && evidence >= evidenceAverage.length))) {
      saturation = busy;
    } else if (!queued
        && saturation > 0
        && busy > saturation
        && evidence >= evidenceAverage.length) {
      saturation = 0;
    }
    return saturation;
  }

  /**
   * The no-load latency after a window whose least latency was {@code minimum} under {@code limit}.
   *
   * <p>Why not simply the least latency of the last windows: under a sustained overload every call
   * waits behind a queue, so each new window's least latency includes some waiting; a baseline that
   * rotates to it lets the algorithm see the queue as no queue, grow the limit, queue more, and
   * rotate again, a creep without end. A window is evidence of the no-load latency only if its
   * limit was no higher than that of every window already kept (or fewer than noLoadWindows are
   * kept): a lower limit can only have queued less. Under a steady overload the limit hovers, no
   * new window qualifies, and the baseline holds. A window faster than the baseline always
   * qualifies: no queue makes a call faster. When the dependency really slows down, the latency
   * reads as queueing, the limit falls, each window at a new low qualifies, and after noLoadWindows
   * of them the old baseline is gone and the limit grows back: measured again from live traffic,
   * never by holding concurrency down. When the caller knows the work changed, remeasure() starts
   * the evidence afresh at once.
   */
  private long noLoad(long minimum, long average, int limit) {
    int kept = evidenceLatency.length;
    newestEvidence = -1;
    if (forget) {
      forget = false;
      evidence = 0;
      return Long.MAX_VALUE;
    }
    if (minimum != Long.MAX_VALUE) {
      boolean accept = evidence < kept || minimum < least();
      if (!accept) {
        accept = true;
        for (int l : evidenceLimit) {
          accept &= limit <= l;
        }
      }
      if (accept) {
        int slot = (int) (evidence++ % kept);
        newestEvidence = slot;
        evidenceThroughput[slot] = 0; // until the window is judged: see saturation
        evidenceLatency[slot] = minimum;
        evidenceLimit[slot] = limit;
        evidenceAverage[slot] = average;
      }
    }
    return least();
  }

  /**
   * Ages the no-load latency: after noLoadWindows windows in a row in which every call waited while
   * nothing was refused, cut or shrunk, the waiting is not a queue (a queue that the algorithm does
   * not shrink from holds few calls and is gone in a window; one it does shrink from lowers the
   * limit) but the dependency itself being slower: measure again from the next window. Without
   * this, a dependency that became slower without a queue, under a limit that never had to fall,
   * would keep its old baseline, and its pressure would read 1 for good.
   */
  private void ageBaseline(boolean steadyWaiting) {
    waitingWindows = steadyWaiting ? waitingWindows + 1 : 0;
    if (waitingWindows >= evidenceLatency.length) {
      waitingWindows = 0;
      forget = true;
    }
  }

  /**
   * The no-load average latency: the least average of the windows kept as evidence of the no-load
   * latency (the same windows, so it is measured again when that is).
   */
  private long noLoadAverage() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(evidence, evidenceAverage.length); i++) {
      least = Math.min(least, evidenceAverage[i]);
    }
    return least;
  }

  /**
   * The highest throughput of the windows kept as evidence of the no-load latency that showed no
   * queue (not yet the window just closed).
   */
  private double mostServedWithoutQueue() {
    double most = 0;
    for (int i = 0; i < Math.min(evidence, evidenceThroughput.length); i++) {
      most = Math.max(most, evidenceThroughput[i]);
    }
    return most;
  }

  /** Keeps the throughput of the window just closed, if it was kept as evidence. */
  private void keepThroughput(double throughput) {
    if (newestEvidence >= 0) {
      evidenceThroughput[newestEvidence] = throughput;
    }
  }

  private long least() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(evidence, evidenceLatency.length); i++) {
      least = Math.min(least, evidenceLatency[i]);
    }
    return least;
  }

  /**
   * Forgets the no-load latency and measures it again from live traffic, starting a new window now:
   * for when the work a call does has changed (a brownout level shed or restored features, a new
   * version was deployed). Calls already in flight are not samples of the new measurement, and
   * {@link #pressure()} reads NaN (unknown) until a window has closed since.
   */
  public void remeasure() {
    WINDOW_START.setVolatile(this, ticker.read());
    forget = true;
    samples.reset();
    latencySum.reset();
    latencySquares.reset();
    inFlightSum.reset();
    MIN_LATENCY.setVolatile(this, Long.MAX_VALUE);
    last = Window.NONE;
  }

  /**
   * What a closed window measured: its samples (the timed calls that succeeded), drops and
   * refusals, the samples' average latency and its standard error (how far the average of so many
   * samples strays by chance), their least latency (all in nanoseconds), the no-load least and
   * average latencies it compared them with, the mean calls in flight, how many of them were being
   * served (the busy concurrency, by Little's law: the mean in flight times the no-load average
   * over the average), the concurrency at which the dependency saturates as estimated so far (0
   * while unknown), the most calls in flight, and the limit before and after.
   */
  public record Window(
      long samples,
      long drops,
      long refusals,
      long averageNanos,
      long averageErrorNanos,
      long minimumNanos,
      long noLoadNanos,
      long noLoadAverageNanos,
      double meanInFlight,
      double busyInFlight,
      double saturationInFlight,
      int peakInFlight,
      int limitBefore,
      int limitAfter) {
    static final Window NONE = new Window(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * How close the window came to refusing, from 0 (idle) to 1 (it refused a call), or NaN before
     * any window has closed: the largest of
     *
     * <ul>
     *   <li>its waiting: how much longer than no-load its fastest call took, where {@value
     *       #QUEUE_TOLERANCE} longer (or more) reads 1 — when every call waits, even the fastest
     *       does;
     *   <li>its queue: how much longer than the no-load average its average call took, beyond
     *       {@value #NOISE_ERRORS} standard errors of that average, on the same scale — a queue
     *       shows in the average well before every call waits;
     *   <li>its busy concurrency over the concurrency at which the dependency was last seen to
     *       saturate: how much of the dependency the load uses;
     *   <li>its mean concurrency over its limit.
     * </ul>
     *
     * <p>Why not the last alone: a limiter keeps headroom above the calls it sees (up to twice the
     * peak), so its concurrency rises towards its limit only as the dependency saturates, and then
     * fast; it says nothing of how near saturation a quiet service is. The waiting shows a queue as
     * it forms, seconds before the limiter refuses under a load that rises over minutes: the time a
     * level controller needs to shed optional work first. The saturation concurrency tells a
     * controller, once the queue is gone, how much of the dependency the load uses, so that it
     * restores features only when they would fit.
     *
     * <p>Why the queue allows for noise: the no-load average is the least of the averages of up to
     * {@code noLoadWindows} windows, about two standard errors under what they average to, and one
     * window's average strays by another either side. On the demo's 6 ms pages, about 60 a window,
     * that is half a millisecond, and without the allowance a queue term of 0.3–0.7 with nothing
     * queued held a level controller's level up: it comes down only after a spell under its lower
     * bound.
     */
    public double pressure() {
      if (limitBefore == 0) {
        return Double.NaN; // no window has closed (since a re-measurement)
      }
      if (refusals > 0) {
        return 1.0;
      }
      double waiting =
          minimumNanos > 0 && noLoadNanos > 0
              ? (1 - (double) noLoadNanos / minimumNanos) / QUEUE_TOLERANCE
              : 0;
      double queue =
          averageNanos > 0 && noLoadAverageNanos > 0
              ? ((averageNanos - NOISE_ERRORS * averageErrorNanos) / noLoadAverageNanos - 1)
                  / QUEUE_TOLERANCE
              : 0;
      double used = saturationInFlight > 0 ? busyInFlight / saturationInFlight : 0;
      double ofLimit = limitBefore > 0 ? meanInFlight / limitBefore : 0;
      return Math.min(1.0, Math.max(Math.max(Math.max(waiting, queue), used), ofLimit));
    }

    /** How much longer than no-load a window's fastest call took when its pressure reads 1. */
    public static final double QUEUE_TOLERANCE = 0.1;

    /** The standard errors of its average by which a window's average may stray unqueued. */
    static final double NOISE_ERRORS = 3;
  }

  /** A share of the limit, and the permits its calls hold. */
  public final class Partition {
    private final String name;
    private final double share;
    private volatile int guaranteed;

    @SuppressWarnings("unused") // through PARTITION_IN_FLIGHT
    private volatile int inFlight;

    private final LongAdder refused = new LongAdder();

    Partition(String name, double share) {
      this.name = name;
      this.share = share;
    }

    public String name() {
      return name;
    }

    /** The limiter this partition is a share of. */
    public Limiter limiter() {
      return Limiter.this;
    }

    /** The share of the limit this partition is guaranteed at the limit. */
    public double share() {
      return share;
    }

    /** The calls of this partition in flight now. */
    public int inFlight() {
      return (int) PARTITION_IN_FLIGHT.getVolatile(this);
    }

    /** The calls of this partition refused so far. */
    public long refused() {
      return refused.sum();
    }

    void guarantee(int limit) {
      guaranteed = (int) Math.floor(share * limit);
    }

    /** Takes one of this partition's guaranteed slots, if one is free. */
    boolean reserveGuaranteed() {
      for (int held = inFlight(); held < guaranteed; held = inFlight()) {
        if (PARTITION_IN_FLIGHT.compareAndSet(this, held, held + 1)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Admits a call if the limit allows it: the permit to give back when the call ends, or {@link
     * #REFUSED}.
     */
    public long tryAcquire() {
      long sequence = admit(this);
      if (sequence < 0) {
        refused.increment();
        return REFUSED;
      }
      try {
        return start(sequence);
      } catch (Throwable ticker) { // a test's own ticker threw: the call is not admitted after all
        end(UNTIMED, IGNORED);
        throw ticker;
      }
    }

    /** Gives back a permit of a call that succeeded: its latency is a sample of the window. */
    public void onSuccess(long permit) {
      end(permit, SUCCEEDED);
    }

    /**
     * Gives back a permit of a call that timed out or was refused downstream: the limit will be
     * cut.
     */
    public void onDropped(long permit) {
      end(permit, DROPPED);
    }

    /** Gives back a permit of a call whose outcome says nothing about load (e.g. a bad request). */
    public void onIgnored(long permit) {
      end(permit, IGNORED);
    }

    private void end(long permit, int result) {
      if (partitioned) {
        PARTITION_IN_FLIGHT.getAndAdd(this, -1);
      }
      release(permit, result);
    }
  }
}
