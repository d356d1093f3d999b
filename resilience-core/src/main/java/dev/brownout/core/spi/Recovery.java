package dev.brownout.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * The outermost policy of a guard: sees every throwable that escapes the rest of the pipeline and
 * turns it into a value for the caller, or rethrows it. This is where a crash inside a call becomes
 * an incident (logged once, counted) instead of an exception that kills the worker.
 */
public interface Recovery {

  /**
   * Handles {@code thrown}, which escaped the guard named {@code guard}: returns the value the
   * caller gets instead (of the type the caller expects), or throws (the same or another
   * throwable).
   */
  @Nullable Object recover(String guard, Throwable thrown) throws Exception;
}
