package dev.brownout.core.compat;

import dev.brownout.core.BulkheadFullException;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Guard;
import dev.brownout.core.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * A scripted dependency behind a guard, as the TCK's services are: each letter of a script says
 * what the dependency does if the guard lets the call through ({@code s} succeeds, {@code f} throws
 * a {@link Failure}, {@code h} hangs until interrupted or cancelled), and {@code |} lets the
 * breaker's wait in OPEN pass on the hand-driven ticker. What the caller saw is written the same
 * way: {@code s} a value, {@code f} the failure, {@code o} an open breaker's rejection, {@code b} a
 * full bulkhead's, {@code t} a timeout.
 */
final class Dependency {

  /** How a scenario calls the guard: each scenario runs both ways. */
  enum Path {
    CALL,
    CALL_ASYNC
  }

  /** The dependency's own failure (the TCK's {@code TestException}). */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure() {
      super("dependency failed", null, false, false);
    }
  }

  private final Guard guard;
  private final Path path;
  private final ManualTicker ticker;
  private int executions;

  Dependency(Guard guard, Path path, ManualTicker ticker) {
    this.guard = guard;
    this.path = path;
    this.ticker = ticker;
  }

  /** How many calls reached the dependency. */
  int executions() {
    return executions;
  }

  /**
   * Runs {@code script} (letters separated by spaces or not) and returns what the caller saw,
   * letter by letter.
   */
  String run(String script, Duration waitInOpen) {
    List<String> seen = new ArrayList<>();
    for (char step : script.replace(" ", "").toCharArray()) {
      if (step == '|') {
        ticker.advance(waitInOpen.plusMillis(1));
        continue;
      }
      seen.add(call(step));
    }
    return String.join(" ", seen);
  }

  /** One call that the dependency answers with success or failure, and what the caller saw. */
  String call(boolean succeeds) {
    return call(succeeds ? 's' : 'f');
  }

  /** One call that the dependency answers as {@code step} says, and what the caller saw. */
  String call(char step) {
    try {
      if (path == Path.CALL) {
        guard.call(() -> answer(step));
      } else {
        guard
            .callAsync(
                () -> {
                  if (step == 'h') {
                    executions++;
                    return new CompletableFuture<String>();
                  }
                  try {
                    return CompletableFuture.completedFuture(answerAtOnce(step));
                  } catch (Failure failure) {
                    return CompletableFuture.failedFuture(failure);
                  }
                })
            .toCompletableFuture()
            .join();
      }
      return "s";
    } catch (Throwable thrown) {
      return letter(thrown);
    }
  }

  private String answer(char step) throws InterruptedException {
    if (step == 'h') {
      executions++;
      new CountDownLatch(1).await();
      throw new AssertionError("a hanging call ends only when interrupted");
    }
    return answerAtOnce(step);
  }

  private String answerAtOnce(char step) {
    executions++;
    if (step != 's') {
      throw new Failure();
    }
    return "value";
  }

  /**
   * The letter for what a caller saw thrown (unwrapped from an async stage's {@link
   * CompletionException}).
   */
  static String letter(Throwable thrown) {
    Throwable failure =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    if (failure instanceof Failure) {
      return "f";
    }
    if (failure instanceof CallNotPermittedException) {
      return "o";
    }
    if (failure instanceof BulkheadFullException) {
      return "b";
    }
    if (failure instanceof CallTimeoutException) {
      return "t";
    }
    throw new AssertionError("unexpected failure", failure);
  }
}
