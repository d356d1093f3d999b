package dev.brownout.core;

import dev.brownout.core.spi.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a guarded call returns instead of failing: chosen by the type of the failure, with the failure
 * at hand. Built once and reused; applying it allocates nothing of its own.
 *
 * <pre>{@code
 * Fallback<Price> unknown = Fallback.on(CallNotPermittedException.class, e -> Price.UNKNOWN);
 * Fallback<Price> price = unknown.orOn(IOException.class, e -> cache.lastPrice());
 * Price p = guard.call(() -> pricing.quote(item), price);
 * }</pre>
 *
 * <p>The fallback sits outside retry in the guard's order, so it sees the last failure after retries
 * are spent, and also rejections (open breaker, full bulkhead) and timeouts.
 *
 * @param <T> the type of the call's result
 */
public final class Fallback<T> {

  private final List<Handler<T>> handlers;

  private Fallback(List<Handler<T>> handlers) {
    this.handlers = List.copyOf(handlers);
  }

  /** Serves {@code value} for any {@link Exception}. */
  public static <T> Fallback<T> value(T value) {
    return on(Exception.class, failure -> value);
  }

  /** Serves {@code function(failure)} for any {@link Exception}. */
  public static <T> Fallback<T> of(Function<? super Exception, ? extends T> function) {
    return on(Exception.class, function);
  }

  /** Serves {@code function(failure)} for failures of {@code type} (and its subtypes). */
  public static <T, X extends Throwable> Fallback<T> on(
      Class<X> type, Function<? super X, ? extends T> function) {
    return new Fallback<T>(List.of()).orOn(type, function);
  }

  /** A fallback that also handles {@code type}; earlier handlers are tried first. */
  public <X extends Throwable> Fallback<T> orOn(Class<X> type, Function<? super X, ? extends T> function) {
    Settings.notNull("fallback.function", function);
    return orOnKeyed(type, (key, failure) -> function.apply(failure));
  }

  /**
   * Serves {@code function(key, failure)} for failures of {@code type}: the key is what the caller
   * passed to {@link Guard#callFor}, typically the call's arguments, so one prebuilt fallback can
   * answer for any arguments without allocating per call.
   */
  public static <T, X extends Throwable> Fallback<T> onKeyed(Class<X> type, KeyedFunction<? super X, ? extends T> function) {
    return new Fallback<T>(List.of()).orOnKeyed(type, function);
  }

  /** A fallback that also handles {@code type} with a keyed function; earlier handlers are tried first. */
  public <X extends Throwable> Fallback<T> orOnKeyed(Class<X> type, KeyedFunction<? super X, ? extends T> function) {
    Settings.notNull("fallback.type", type);
    Settings.notNull("fallback.function", function);
    List<Handler<T>> more = new ArrayList<>(handlers);
    more.add(new Handler<>(type, function));
    return new Fallback<>(more);
  }

  /** A fallback function that also sees the call's key, and may throw a checked exception. */
  @FunctionalInterface
  public interface KeyedFunction<X extends Throwable, T> {
    T apply(Object key, X failure) throws Exception;
  }

  /** Whether some handler takes this failure. */
  boolean handles(Throwable failure) {
    for (int i = 0; i < handlers.size(); i++) {
      if (handlers.get(i).type.isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  /** The value of the first handler that takes {@code failure}; call only when {@link #handles}. */
  T apply(Object key, Throwable failure) throws Exception {
    for (int i = 0; i < handlers.size(); i++) {
      Handler<T> handler = handlers.get(i);
      if (handler.type.isInstance(failure)) {
        return handler.apply(key, failure);
      }
    }
    throw new IllegalStateException("no fallback handler for " + Objects.toString(failure));
  }

  private static final class Handler<T> {
    final Class<? extends Throwable> type;
    final KeyedFunction<Throwable, ? extends T> function;

    @SuppressWarnings("unchecked") // the function is only applied to instances of type
    <X extends Throwable> Handler(Class<X> type, KeyedFunction<? super X, ? extends T> function) {
      this.type = type;
      this.function = (KeyedFunction<Throwable, ? extends T>) function;
    }

    T apply(Object key, Throwable failure) throws Exception {
      return function.apply(key, failure);
    }
  }
}
