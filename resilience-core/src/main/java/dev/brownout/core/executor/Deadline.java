package dev.brownout.core.executor;

import dev.brownout.core.Ticker;
import dev.brownout.core.internal.Settings;
import java.time.Duration;
import java.util.Optional;

/**
 * The moment by which a piece of work is no longer wanted. A deadline is bound to the current
 * thread with {@link #bind()}; a {@link BoundedExecutor} carries the submitter's deadline into the
 * task (so the task, and what it submits in turn, see it through {@link #current()}) and does not
 * start a task whose deadline has passed.
 *
 * <pre>{@code
 * try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(300)).bind()) {
 *   Future<Page> page = executor.submit(() -> render(request));   // not run if it waits past 300 ms
 * }
 * }</pre>
 */
public final class Deadline {

  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final Ticker ticker;
  private final long at;

  private Deadline(Ticker ticker, long at) {
    this.ticker = ticker;
    this.at = at;
  }

  /** The deadline {@code timeout} from now, by {@link System#nanoTime()}. */
  public static Deadline after(Duration timeout) {
    return after(timeout, Ticker.system());
  }

  /** The deadline {@code timeout} from now by {@code ticker} (a hand-driven one in tests). */
  public static Deadline after(Duration timeout, Ticker ticker) {
    Settings.notNegative("deadline.timeout", timeout);
    Settings.notNull("deadline.ticker", ticker);
    return new Deadline(ticker, ticker.read() + timeout.toNanos());
  }

  /** The deadline bound to the current thread, if any. */
  public static Optional<Deadline> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** The time left, zero once the deadline has passed. */
  public Duration remaining() {
    long left = at - ticker.read();
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  public boolean expired() {
    return ticker.read() - at >= 0;
  }

  /**
   * Binds this deadline to the current thread until the scope is closed (which restores the
   * previous one).
   */
  public Scope bind() {
    Deadline previous = CURRENT.get();
    CURRENT.set(this);
    return new Scope(previous);
  }

  static Deadline currentOrNull() {
    return CURRENT.get();
  }

  /** Binds {@code deadline} (which may be null) and returns what was bound before. */
  static Deadline swap(Deadline deadline) {
    Deadline previous = CURRENT.get();
    if (previous != deadline) {
      set(deadline);
    }
    return previous;
  }

  private static void set(Deadline deadline) {
    if (deadline == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(deadline);
    }
  }

  @Override
  public String toString() {
    return "Deadline[" + remaining() + " left]";
  }

  /** The binding of a deadline to a thread; closing it restores the deadline bound before. */
  public static final class Scope implements AutoCloseable {
    private final Deadline previous;

    private Scope(Deadline previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      set(previous);
    }
  }
}
