package dev.brownout.core;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The one place where a guard decides what each event of a call means: the synchronous loop ({@link
 * SyncCall}), the asynchronous path ({@link AsyncCall}), isolated, keyed and generated calls all
 * drive these methods, so they cannot disagree.
 *
 * <p>Why one file of 700 lines (about 410 of code, the rest notes). Every rule here interacts with
 * the others (what a failure is for the breaker and for the retry, when a rejection may be retried,
 * how a deadline and a timeout end an attempt, who counts a call), and the paths agree only because
 * they ask the same methods: two pipelines that each held part of these rules are how sync and
 * async once decided the same event differently. What is not a decision lives elsewhere: the loops
 * ({@link SyncCall}, {@link AsyncCall}), the policies (breakers, {@link Bulkhead}, {@link
 * RateLimiter}, {@link RetryConfig}'s backoff and budget), the meters and listeners ({@link
 * Telemetry}). {@code CallPathParityProperties} checks every path against this class.
 */
final class GuardCore {

  /*
   * Design notes
   *
   * The policy chain. Outermost first, and where each link is decided:
   *
   *   recovery    SyncCall.outer / AsyncCall.finish       turns what escapes into a value, or rethrows
   *   admission   admits / denied                         the feature switch; nothing else runs if closed
   *   fallback    rejected / failed                       sees the last failure, a rejection or a timeout
   *   deadline    attemptWait, nextAttempt → DEADLINE    the whole call: every attempt and wait
   *   retry       onReturn / onThrow → RETRY(delay)       a rejection only if opted in (onRejection)
   *   breaker     beforeAttempt, onReturn / onThrow       one permission per attempt, always given back
   *   rate limit  beforeAttempt                           a turn per attempt; a sync caller may wait for it
   *   limiter     takeLimit, onReturn / onThrow           a permit per attempt, the caller's
   *   timeout     attemptWait; SyncCall / AsyncCall wait  per attempt; the caller stops waiting
   *   bulkhead    beforeAttempt (the caller holds it)     or acquireOnWorker (an isolated call)
   *   the call
   *
   * The adaptive limiter's permit is taken last, after every policy that can refuse the attempt on
   * the caller's side (a bulkhead permit the caller holds included, the one exception to the order
   * above), so that it counts only attempts that go to the dependency, and it is the
   * caller's: given back when the caller learns how the attempt ended (with the value, the
   * failure, or the timeout, which is a drop at once even if an isolated task runs on), so that its
   * latencies are the ones the caller waits for and a timeout cuts the limit without delay. A value
   * is a success (its latency a sample, whatever the breaker makes of the value); a timeout or a
   * rejection from inside (a nested guard, a full pool downstream) is a drop; any other failure
   * says nothing about load and is ignored. Per attempt, not per call: each attempt is a call to
   * the dependency, and a retry's wait holds no permit.
   *
   * A new policy is a field here, a line in beforeAttempt and one in onReturn/onThrow: the engines
   * only loop, wait and complete. They stay two (a loop that sleeps, a stage that schedules) because
   * waiting is the one thing sync and async must do differently; everything they decide is here.
   *
   * Decisions without allocation. onReturn, onThrow and onRejection return a long: a delay of zero
   * or more nanoseconds is RETRY(delay); SUCCESS, REJECTED and DEADLINE are reserved negative values;
   * any other negative value is FAIL and carries the attempt's duration (fail(elapsed) = -1 -
   * elapsed). A rejection before an attempt is the exception object the policy made in advance (null
   * to go on). The final outcome (a fallback's value, or the failure thrown) comes from end, rejected
   * and failed, which count the call: every call is counted exactly once, by the method that ends it, under its
   * outcome (what the caller got) and its cause (why: a fallback after a timeout is not a fallback
   * after an open breaker). The methods that end a call are told its attempt number, so a retried
   * call's retries are counted as it ends, with the call itself: the retry meters describe the same
   * ended calls as the call meter, and an attempt that is not retried costs nothing more.
   *
   * Time for the whole call. The timeout bounds one attempt; a deadline bounds the call, and a
   * retry's maxDuration bounds when a new attempt may start. Both are measured from one clock read
   * as the call starts (startCall), taken only by a guard that has either: any other guard reads no
   * clock for them. The engines wait for an attempt as long as attemptWait says (the timeout, or the
   * time left if shorter; the attempt is then stopped as a timeout stops it) and start none once the
   * deadline has passed (pastDeadline after a sync sleep, which may overrun; attemptWait <= 0 for an
   * async attempt). A retry is decided in nextAttempt, when its wait is known: a wait that would end
   * past maxDuration ends the call with the last attempt's outcome (MicroProfile's rule), one that
   * would end past the deadline ends it at once with DeadlineExceededException (sleeping first would
   * only reach the same end later). An attempt stopped by this guard's own deadline is never
   * retried; a nested guard's is a timeout like any other.
   *
   * Rejections. Any RejectedCallException that reaches this guard is a rejection, whether its own
   * policies made it (breaker, bulkhead, executor) or a nested guard did: the
   * breaker's permission goes back (the dependency did not fail), it is not retried, it is counted
   * rejected, and a fallback sees it as a rejection. Only the guard's own rejections are reported to
   * listeners; a nested guard has reported its own.
   *
   * Hooks that throw. Predicates (recordResult, recordException, retryOn...), the ticker and
   * listeners are user code inside the decision. When one throws, the decision method gives back
   * what the attempt holds (the bulkhead permit and, unless the breaker has already been told of
   * the attempt, its permission, so a HALF_OPEN probe is never lost) and rethrows; the engine then
   * ends the call through failed, exactly as if the call had thrown it, minus retry: a hook's
   * failure is not the dependency's and trying again would only repeat it. Listeners are contained
   * by Telemetry and never reach here except as a VirtualMachineError.
   *
   * Cost. Every method is final on a final class and is called from one site per engine, so the
   * JIT inlines the whole chain into the caller: on the happy path a guard with a breaker and a
   * bulkhead costs the breaker's volatile read, the bulkhead's CAS and release, and one read of the
   * direct flag (which stands for the closed, recovery and admission checks); no lock, allocation or
   * clock read (unless a policy needs the duration). The try blocks cost nothing until something
   * throws.
   */

  /** onReturn: the result is the call's value; the call has been counted. */
  static final long SUCCESS = Long.MIN_VALUE;

  /** onThrow: the failure is a rejection; end the call with {@link #rejected}. */
  static final long REJECTED = Long.MIN_VALUE + 1;

  /** The next attempt could not start before the deadline: end the call with {@link #end}. */
  static final long DEADLINE = Long.MIN_VALUE + 2;

  /** {@link #attemptWait}: the caller waits for the attempt as long as it takes. */
  static final long NO_LIMIT = Long.MAX_VALUE;

  /** The home stripe of an attempt whose permit the caller does not hold (async, isolated). */
  static final int NO_PERMIT = -1;

  final String name;
  final Brownout runtime;
  final Ticker ticker;

  /** The runtime's coarse clock: what the rate limiter's admissions read (see takeTurn). */
  private final Ticker clock;

  final CircuitBreaker breaker;
  final Bulkhead bulkhead;
  final RateLimiter rateLimiter;

  /** The adaptive limiter's partition whose permit an attempt takes, or null. */
  private final Limiter.Partition limit;

  /** What an attempt the limiter refuses ends with: made once, as every own rejection is. */
  private final ConcurrencyLimitedException limitRejection;

  /**
   * The calling thread takes and returns the bulkhead permit: the call runs on it. An isolated
   * call's permit is held by the thread that runs it, so a caller that stops waiting (a timeout, an
   * interrupt) never gives back a permit its task still uses; a timed call in place takes it under
   * the timer, so the timeout covers the wait for a permit (MicroProfile's rule).
   */
  final boolean callerHoldsPermit;

  /**
   * The bulkhead counts this guard's successes as it takes their permits back (see {@link
   * CallStats}).
   */
  private final boolean successesInBulkhead;

  final RetryConfig retry;
  private final RetryBudget budget;
  final Duration timeout;
  final long timeoutNanos;
  private final Duration deadline;

  /** The deadline of the whole call, in nanoseconds; 0 for none. */
  private final long deadlineNanos;

  /** How long a caller waits for an attempt of a guard without a deadline. */
  private final long fixedWait;

  /** The retry's maxDuration, in nanoseconds; 0 for none. */
  private final long maxDurationNanos;

  /** A deadline or a maxDuration bounds the call: it reads the clock as it starts. */
  private final boolean bounded;

  final BoundedExecutor executor;

  /** The rejection for a saturated executor, named after it. */
  final BulkheadFullException executorRejection;

  /**
   * The call has a timeout, a deadline or an executor: it runs in place on the timer, or on the
   * executor.
   */
  final boolean isolated;

  /**
   * Some policy reports the attempt's duration (recordLatency, a breaker's slow-call detection):
   * the attempt reads the clock as it starts and ends. A timeout does not: the runtime's timer
   * decides that it fired, so a guard with only a timeout reads no clock on a call.
   */
  final boolean timed;

  /**
   * What times an attempt: the precise ticker, or the coarse clock when only slow calls of 10 ms or
   * more need it.
   */
  private final Ticker durations;

  final CallStats stats;
  private final Telemetry telemetry;
  private final Admission admission;
  private final boolean observesResults;
  private final Recovery recovery;
  final LatencyHistogram latency;

  /**
   * Set once by the runtime's close; read by a call that is not {@link #direct}, and by an async
   * call.
   */
  private volatile boolean closed;

  /**
   * A sync call goes straight to its attempts: no recovery, no admission, and the runtime is open.
   * One read stands for the three outer checks on the happy path; {@link #close} clears it.
   */
  private volatile boolean direct;

  GuardCore(
      String name,
      Brownout runtime,
      CircuitBreaker breaker,
      Bulkhead bulkhead,
      RateLimiter rateLimiter,
      Limiter.Partition limit,
      RetryConfig retry,
      Duration timeout,
      Duration deadline,
      BoundedExecutor executor,
      boolean recordLatency,
      Admission admission,
      Recovery recovery,
      CallStats stats,
      boolean successesInBulkhead) {
    this.name = name;
    this.runtime = runtime;
    this.ticker = runtime.ticker();
    this.clock = runtime.clock();
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    this.rateLimiter = rateLimiter;
    this.limit = limit;
    this.limitRejection =
        limit == null
            ? null
            : new ConcurrencyLimitedException(limit.limiter().name(), limit.name());
    this.isolated = timeout != null || deadline != null || executor != null;
    this.callerHoldsPermit = bulkhead != null && !isolated;
    this.successesInBulkhead = successesInBulkhead;
    this.retry = retry;
    this.stats = stats;
    this.budget =
        retry == null
            ? null
            : new RetryBudget(
                retry.budgetRatio(), retry.minRetriesPerSecond(), runtime.clock(), stats::calls);
    this.timeout = timeout;
    this.timeoutNanos = timeout == null ? 0 : timeout.toNanos();
    this.deadline = deadline;
    this.deadlineNanos = deadline == null ? 0 : deadline.toNanos();
    this.fixedWait = timeout == null ? NO_LIMIT : timeoutNanos;
    this.maxDurationNanos = retry == null ? 0 : retry.maxDurationNanos();
    this.bounded = deadlineNanos > 0 || maxDurationNanos > 0;
    this.executor = executor;
    this.executorRejection = executor == null ? null : new BulkheadFullException(executor.name());
    this.timed = recordLatency || (breaker != null && breaker.timesCalls());
    this.durations = recordLatency || breaker == null ? ticker : breaker.durationTicker(ticker);
    this.telemetry = runtime.telemetry();
    this.admission = admission;
    this.observesResults = admission != null && admission.observesResults();
    this.recovery = recovery;
    this.latency = recordLatency ? stats.latency() : null;
    if (retry != null) {
      stats.retrying();
    }
    this.direct = admission == null && recovery == null;
    runtime.track(this);
  }

  // ---- the outer policies: closed runtime, recovery, admission

  /**
   * Whether the runtime is closed: then every call fails with {@link #closedFailure()}, holding
   * nothing.
   */
  boolean closed() {
    return closed;
  }

  /** Whether a sync call skips the outer policies: none configured, and the runtime is open. */
  boolean direct() {
    return direct;
  }

  /** Called by the runtime as it closes. */
  void close() {
    closed = true;
    direct = false;
  }

  IllegalStateException closedFailure() {
    return new IllegalStateException(
        "guard '" + name + "' cannot run calls: its Brownout runtime is closed");
  }

  boolean recovers() {
    return recovery != null;
  }

  /**
   * What the caller gets for a throwable that escaped the guard: recovery's value, or its throw.
   */
  Object recover(Throwable thrown) throws Exception {
    return recovery.recover(name, thrown);
  }

  boolean admits(Object key) {
    return admission == null || admission.admits(key);
  }

  /** A call the admission policy refused: counted degraded, its substitute or its exception. */
  Object denied(Object key) throws Exception {
    stats.record(Outcome.DEGRADED, Cause.DEGRADED, 0L);
    return admission.denied(key);
  }

  // ---- time for the whole call

  /** The start of a call, read only if a deadline or a retry's maxDuration bounds it. */
  long startCall() {
    return bounded ? ticker.read() : 0L;
  }

  /**
   * How long the caller waits for the attempt about to start ({@link #NO_LIMIT} for as long as it
   * takes): the timeout, or the time left before the deadline when that is shorter. Zero or less
   * when the deadline has passed: then no attempt starts, and the call ends with {@link #end} on
   * {@link #DEADLINE}.
   */
  long attemptWait(long begun) {
    if (deadlineNanos == 0) {
      return fixedWait;
    }
    long left = deadlineNanos - (ticker.read() - begun);
    return timeoutNanos > 0 && timeoutNanos <= left ? timeoutNanos : left;
  }

  /** Whether the deadline of the call begun at {@code begun} has passed: then no attempt starts. */
  boolean pastDeadline(long begun) {
    return deadlineNanos > 0 && ticker.read() - begun >= deadlineNanos;
  }

  /**
   * The failure of an attempt the caller stopped waiting for after {@code wait}: its timeout, or
   * the deadline.
   */
  CallTimeoutException attemptTimedOut(long wait, int attempt) {
    return deadlineNanos == 0 || (timeoutNanos > 0 && wait == timeoutNanos)
        ? new CallTimeoutException(name, timeout)
        : new DeadlineExceededException(this, name, deadline, "during attempt " + attempt, null);
  }

  /**
   * The decision for attempt {@code attempt + 1}, which retry wants: its RETRY delay; -1 when the
   * wait would end past the retry's maxDuration or the budget is spent (the last attempt's outcome
   * ends the call); {@link #DEADLINE} when the wait would end past the deadline.
   */
  private long nextAttempt(int attempt, long begun) {
    long delay = Math.max(0L, retry.backoffNanos(attempt));
    if (bounded) {
      long startsAt = ticker.read() - begun + delay;
      if (maxDurationNanos > 0 && startsAt >= maxDurationNanos) {
        return -1L;
      }
      if (deadlineNanos > 0 && startsAt >= deadlineNanos) {
        return DEADLINE; // checked before the budget, so as not to spend a retry that will not run
      }
    }
    return withdraw() ? delay : -1L;
  }

  // ---- one attempt

  /** The stripe whose bulkhead permit this attempt takes, or {@link #NO_PERMIT}. */
  int home() {
    return callerHoldsPermit ? Stripes.current() : NO_PERMIT;
  }

  /**
   * Asks the breaker, then the bulkhead whose permit the caller holds ({@code home} not {@link
   * #NO_PERMIT}; {@code waits} false for an async call, which must not block): null to go on, or
   * the rejection, with nothing held. A hook that throws here (the ticker, a listener's Error)
   * leaves nothing held either.
   */
  RejectedCallException beforeAttempt(int home, boolean waits) {
    if (breaker != null && !breaker.tryAcquirePermission()) {
      return breaker.rejection();
    }
    if (rateLimiter != null) {
      RejectedCallException refused = takeTurn(waits);
      if (refused != null) {
        if (breaker != null) {
          breaker.releasePermission();
        }
        return refused;
      }
    }
    if (home != NO_PERMIT && !acquireBulkhead(home, waits)) {
      if (breaker != null) {
        breaker.releasePermission();
      }
      return bulkhead.rejection();
    }
    return null;
  }

  /**
   * Takes the adaptive limiter's permit for an attempt that {@link #beforeAttempt} let go on: the
   * permit to hand to {@link #onReturn} or {@link #onThrow} (any value when the guard has no
   * limiter), or {@link Limiter#REFUSED}, having given back what beforeAttempt took; the attempt
   * then ends with {@link #limitRejection()}.
   */
  long takeLimit(int home) {
    if (limit == null) {
      return 0L;
    }
    long permit;
    try {
      permit = limit.tryAcquire();
    } catch (Throwable hook) { // the limiter's ticker: nothing stays held
      abandon(home, false);
      throw hook;
    }
    if (permit == Limiter.REFUSED) {
      abandon(home, false);
    }
    return permit;
  }

  /** The rejection of an attempt the limiter refused (see {@link #takeLimit}). */
  RejectedCallException limitRejection() {
    return limitRejection;
  }

  /**
   * Whether an attempt's failure says the dependency is overloaded: a timeout, or a rejection from
   * inside the call (a nested guard's, a full pool downstream). This guard's own rejections (its
   * bulkhead or executor, taken on the worker after the limiter's permit) and the limiter's own
   * refusal of a nested call are not the dependency's answer, and say nothing about load.
   */
  private boolean isDrop(Throwable failure) {
    if (failure instanceof CallTimeoutException) {
      return true;
    }
    if (!(failure instanceof RejectedCallException rejection) || isOwn(rejection)) {
      return false;
    }
    return !(rejection instanceof ConcurrencyLimitedException refused
        && refused.source().equals(limit.limiter().name()));
  }

  /**
   * Gives back the limiter permit of an attempt that never reported (its caller went away before it
   * started or ended): it says nothing about load.
   */
  void abandonLimit(long permit) {
    if (limit != null) {
      limit.onIgnored(permit);
    }
  }

  /** The start of an attempt, read only if some policy needs the duration. */
  long startAttempt() {
    return timed ? durations.read() : 0L;
  }

  /**
   * An attempt that returned {@code result}: {@link #SUCCESS} (counted, the permit given back), a
   * RETRY delay or {@link #DEADLINE} (the permit given back). Throws a hook's failure, having given
   * back what the attempt held; end the call with {@link #failed} then.
   */
  long onReturn(Object result, long start, long permit, int attempt, int home, long begun) {
    boolean told = false;
    long elapsed;
    long retryDelay;
    try {
      if (limit != null) {
        limit.onSuccess(permit); // first: it reads the ticker, a hook, after giving the permit back
      }
      elapsed = timed ? Math.max(0L, durations.read() - start) : 0L;
      if (latency != null) {
        latency.record(elapsed);
      }
      if (breaker != null) {
        breaker.onResult(elapsed, result);
      }
      told = true;
      retryDelay = retryOnResult(result, attempt, begun);
    } catch (Throwable hook) {
      abandon(home, told);
      throw hook;
    }
    if (retryDelay >= 0 || retryDelay == DEADLINE) {
      releasePermit(home);
      return retryDelay;
    }
    if (attempt > 1) {
      stats.retried(attempt, true); // before the call is counted: see CallStats.notRetried
    }
    if (successesInBulkhead && home != NO_PERMIT) {
      bulkhead.releaseAfterSuccess(home);
      stats.recordSuccessDuration(elapsed);
    } else {
      releasePermit(home);
      stats.recordSuccess(elapsed);
    }
    return SUCCESS;
  }

  /**
   * The RETRY delay (or {@link #DEADLINE}) for a returned value the retry predicate rejects, or -1.
   */
  private long retryOnResult(Object result, int attempt, long begun) {
    if (retry != null
        && retry.hasResultPredicate()
        && attempt < retry.maxAttempts()
        && retry.retriesOnResult(result)) {
      return nextAttempt(attempt, begun);
    }
    return -1L;
  }

  /**
   * An attempt that threw {@code thrown} (perhaps wrapped, as a stage's failure is): a RETRY delay,
   * {@link #REJECTED}, {@link #DEADLINE}, or FAIL with the attempt's duration ({@link #elapsedOf}).
   * The permit is given back in every case. Throws a hook's failure, as {@link #onReturn} does.
   */
  long onThrow(Throwable thrown, long start, long permit, int attempt, int home, long begun) {
    releasePermit(home);
    Throwable failure = FailureClassifier.unwrap(thrown);
    if (limit != null) {
      try {
        if (isDrop(failure)) {
          limit.onDropped(permit);
        } else {
          limit.onIgnored(permit);
        }
      } catch (Throwable hook) { // the limiter's ticker: the breaker's permission goes back too
        abandon(NO_PERMIT, false);
        throw hook;
      }
    }
    if (failure instanceof RejectedCallException rejection) {
      if (breaker != null) {
        breaker.releasePermission();
      }
      return onRejection(rejection, attempt, begun);
    }
    if (failure instanceof InterruptedException
        || (closed && failure instanceof IllegalStateException)) {
      // The caller was interrupted while it waited, or the runtime closed under the call: not the
      // dependency's failure, and no reason to try again.
      if (breaker != null) {
        breaker.releasePermission();
      }
      return -1L;
    }
    boolean told = false;
    try {
      long elapsed = timed ? Math.max(0L, durations.read() - start) : 0L;
      if (latency != null) {
        latency.record(elapsed);
      }
      if (breaker != null) {
        breaker.onError(elapsed, failure);
      }
      told = true;
      if (retry != null
          && attempt < retry.maxAttempts()
          && !(failure instanceof DeadlineExceededException own && own.raisedBy(this))
          && retry.retriesOn(failure)) {
        long next = nextAttempt(attempt, begun);
        if (next != -1L) {
          return next;
        }
      }
      return -1L - elapsed;
    } catch (Throwable hook) {
      abandon(NO_PERMIT, told);
      throw hook;
    }
  }

  /** Takes a retry from the budget, or counts that it had none left. */
  private boolean withdraw() {
    if (budget.tryWithdraw()) {
      return true;
    }
    stats.budgetExhausted();
    return false;
  }

  /**
   * A rejection, before attempt {@code attempt} or from inside it, with nothing held any more:
   * {@link #REJECTED}, unless the retry opts in to this kind of rejection and may try again (a
   * RETRY delay, or {@link #DEADLINE}).
   */
  long onRejection(RejectedCallException rejection, int attempt, long begun) {
    if (retry != null && attempt < retry.maxAttempts() && retry.retriesRejection(rejection)) {
      long next = nextAttempt(attempt, begun);
      return next == -1L ? REJECTED : next;
    }
    return REJECTED;
  }

  /** The duration a FAIL decision carries. */
  static long elapsedOf(long decision) {
    return -1L - decision;
  }

  /**
   * An attempt that ends without a report: its caller went away (a cancelled stage), or a hook
   * threw. Gives back the permit (if the caller holds it) and, unless the breaker was told, its
   * permission.
   */
  void abandon(int home, boolean told) {
    releasePermit(home);
    if (!told && breaker != null) {
      breaker.releasePermission();
    }
  }

  /** Tells the admission policy of a successful call's value, if it wants to know. */
  void succeeded(Object key, Object result) {
    if (observesResults) {
      admission.succeeded(key, result);
    }
  }

  /**
   * A call whose retry wait was interrupted (or could not be scheduled) after {@code attempt}
   * returned a value the retry predicate rejected: it returns that value.
   */
  void countSuccess(int attempt) {
    if (attempt > 1) {
      stats.retried(attempt, true);
    }
    stats.recordSuccess(0L);
  }

  // ---- the bulkhead on an isolated call's thread

  /**
   * Takes the bulkhead permit on the thread that runs an isolated call, or throws the rejection.
   */
  int acquireOnWorker() throws InterruptedException {
    if (bulkhead == null) {
      return NO_PERMIT;
    }
    int worker = Stripes.current();
    if (!bulkhead.acquire(worker)) {
      throw bulkhead.rejection();
    }
    return worker;
  }

  void releaseOnWorker(int worker) {
    if (worker != NO_PERMIT) {
      bulkhead.release(worker);
    }
  }

  // ---- the end of a call: fallback, or the failure; counted exactly once

  /**
   * Ends a call on {@code decision} about attempt {@code attempt}, whose failure (null after a
   * value) was {@code last}: {@link #REJECTED} (or a retry of a rejection whose wait was
   * interrupted) through {@link #rejected}; {@link #DEADLINE} with a {@link
   * DeadlineExceededException} caused by {@code last}; anything else (FAIL, or a retry whose wait
   * was interrupted) with {@code last} itself.
   */
  <T> T end(Object key, Throwable last, Fallback<T> fallback, long decision, int attempt)
      throws Exception {
    if (decision == REJECTED
        || (decision >= 0 && FailureClassifier.unwrap(last) instanceof RejectedCallException)) {
      return rejected(key, last, fallback, attempt);
    }
    if (decision == DEADLINE) {
      DeadlineExceededException exceeded =
          new DeadlineExceededException(
              this, name, deadline, "before attempt " + (attempt + 1), last);
      return failed(key, exceeded, fallback, 0L, attempt);
    }
    return failed(key, last, fallback, decision >= 0 ? 0L : elapsedOf(decision), attempt);
  }

  /**
   * Ends a call whose attempt number {@code attempt} threw a rejection (perhaps wrapped, as a
   * stage's failure is).
   */
  <T> T rejected(Object key, Throwable thrown, Fallback<T> fallback, int attempt) throws Exception {
    return rejected(
        key, (RejectedCallException) FailureClassifier.unwrap(thrown), fallback, attempt);
  }

  /**
   * Ends a call rejected at attempt number {@code attempt}: the fallback's value, or the rejection
   * thrown.
   */
  <T> T rejected(Object key, RejectedCallException rejection, Fallback<T> fallback, int attempt)
      throws Exception {
    if (telemetry.hasListeners() && isOwn(rejection)) {
      telemetry.rejected(name, rejection);
    }
    endedWithout(attempt);
    if (fallback != null && fallback.handles(rejection)) {
      stats.record(Outcome.FALLBACK, Cause.ofRejection(rejection), 0L);
      return fallback.apply(key, rejection);
    }
    stats.record(Outcome.REJECTED, Cause.ofRejection(rejection), 0L);
    throw rejection;
  }

  /**
   * Ends a call that failed at attempt number {@code attempt}: the fallback's value, or {@code
   * failure} thrown as it is.
   */
  <T> T failed(Object key, Throwable failure, Fallback<T> fallback, long elapsed, int attempt)
      throws Exception {
    endedWithout(attempt);
    if (fallback != null && fallback.handles(failure)) {
      stats.record(Outcome.FALLBACK, Cause.ofFailure(failure), elapsed);
      return fallback.apply(key, failure);
    }
    Cause cause = Cause.ofFailure(failure);
    stats.record(cause == Cause.TIMEOUT ? Outcome.TIMEOUT : Outcome.FAILURE, cause, elapsed);
    throw sneakyThrow(failure);
  }

  /**
   * Ends a call whose caller cancelled it during attempt {@code attempt}: a failure (it did not
   * deliver).
   */
  void cancelled(int attempt) {
    endedWithout(attempt);
    stats.record(Outcome.FAILURE, Cause.FAILURE, 0L);
  }

  /** Counts the retries of a call that ends without a value of its own, before the call itself. */
  private void endedWithout(int attempt) {
    if (attempt > 1) {
      stats.retried(attempt, false);
    }
  }

  private boolean isOwn(RejectedCallException rejection) {
    return (breaker != null && rejection == breaker.rejection())
        || (bulkhead != null && rejection == bulkhead.rejection())
        || rejection == executorRejection
        || (limitRejection != null && rejection == limitRejection)
        || (rateLimiter != null
            && rejection instanceof RateLimitedException refused
            && refused.origin == rateLimiter);
  }

  /**
   * Takes this attempt's turn from the rate limiter: null when it may start, or the refusal
   * (decided on a second, fresh reading of the clock). A synchronous caller ({@code waits}) whose
   * turn is ahead parks until it comes; an interrupt ends the wait with a refusal (the turn is
   * spent: a reservation cannot be handed back without letting a later caller jump the queue) and
   * the interrupt flag set again.
   */
  private RejectedCallException takeTurn(boolean waits) {
    long decision = rateLimiter.acquire(clock.read(), waits);
    if (decision == 0) {
      return null;
    }
    if (decision < 0) {
      // The coarse clock lags (a tick, more when its timer is starved), and a reading taken
      // before another caller moved the limiter on (this thread was preempted between reading and
      // deciding) makes the call look early: a refusal is decided again on a fresh, precise
      // reading. Only refusals pay the second read.
      decision = rateLimiter.acquire(ticker.read(), waits);
      if (decision == 0) {
        return null;
      }
    }
    if (decision < 0) {
      return rateLimiter.refusal(decision);
    }
    long end = System.nanoTime() + decision;
    for (long left = decision; left > 0; left = end - System.nanoTime()) {
      LockSupport.parkNanos(this, left);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return new RateLimitedException(name, Math.max(0, end - System.nanoTime()), rateLimiter);
      }
    }
    return null;
  }

  /** Takes a bulkhead permit; an interrupt while waiting counts as a rejection, flag restored. */
  private boolean acquireBulkhead(int home, boolean waits) {
    if (!waits) {
      return bulkhead.tryAcquire(home);
    }
    try {
      return bulkhead.acquire(home);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void releasePermit(int home) {
    if (home != NO_PERMIT) {
      bulkhead.release(home);
    }
  }

  /**
   * Throws any throwable, checked or not, from a method that declares only {@code Exception}; never
   * returns (write {@code throw sneakyThrow(failure)} so that the compiler knows).
   */
  static RuntimeException sneakyThrow(Throwable failure) {
    GuardCore.<RuntimeException>throwAs(failure);
    throw new AssertionError("unreachable");
  }

  @SuppressWarnings("unchecked") // erased: the cast checks nothing, which is the point
  private static <X extends Throwable> void throwAs(Throwable failure) throws X {
    throw (X) failure;
  }
}
