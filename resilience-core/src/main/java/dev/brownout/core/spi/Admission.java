package dev.brownout.core.spi;

import org.jspecify.annotations.Nullable;

/**
 * Decides, before anything else runs, whether a guarded call may run at all, and what the caller
 * gets instead if not. This is where a feature switch sits: after recovery, before fallback, retry
 * and the breaker, so a switched-off feature costs its callers one check and never touches the
 * dependency.
 *
 * <p>{@link #admits} is on every call's path: it must not allocate, lock or throw.
 */
public interface Admission {

  /**
   * Whether the call may run. {@code key} is what the caller passed to the guard's {@code callFor}
   * (a user id for a sticky rollout, the arguments for a cached value), or {@code null}.
   */
  boolean admits(@Nullable Object key);

  /**
   * The result of a call that was not admitted: a substitute value, or an exception (thrown here)
   * to give the caller. The value must have the type the caller expects from the call.
   */
  @Nullable Object denied(@Nullable Object key) throws Exception;

  /** Whether {@link #succeeded} wants to see results; when false the guard never calls it. */
  default boolean observesResults() {
    return false;
  }

  /** Sees the result of every admitted call that returned normally (not a fallback value). */
  default void succeeded(@Nullable Object key, @Nullable Object result) {}
}
