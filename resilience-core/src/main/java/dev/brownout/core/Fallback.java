package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a guarded call returns instead of failing: chosen by the type of the failure, with the
 * failure at hand. Built once and reused; applying it allocates nothing of its own.
 *
 * <pre>{@code
 * Fallback<Price> unknown = Fallback.on(CallNotPermittedException.class, e -> Price.UNKNOWN);
 * Fallback<Price> price = unknown.orOn(IOException.class, e -> cache.lastPrice());
 * Price p = guard.call(() -> pricing.quote(item), price);
 * }</pre>
 *
 * <p>The fallback sits outside retry in the guard's order, so it sees the last failure after
 * retries are spent, and also rejections (open breaker, full bulkhead) and timeouts.
 *
 * <p>As in MicroProfile Fault Tolerance, {@link #skipOn} and {@link #applyOn} narrow which failures
 * it answers, and skip wins over apply: {@code Fallback.of(f).applyOn(IOException.class)
 * .skipOn(FileNotFoundException.class)} answers an {@code IOException} but lets a {@code
 * FileNotFoundException} through to the caller.
 *
 * @param <T> the type of the call's result
 */
public final class Fallback<T extends @Nullable Object> {

  private final List<Handler<T>> handlers;
  private final List<Class<? extends Throwable>> applyOn;
  private final List<Class<? extends Throwable>> skipOn;

  /** Some applyOn or skipOn type is given: only then does {@link #handles} look at those lists. */
  private final boolean narrowed;

  private Fallback(
      List<Handler<T>> handlers,
      List<Class<? extends Throwable>> applyOn,
      List<Class<? extends Throwable>> skipOn) {
    this.handlers = List.copyOf(handlers);
    this.applyOn = List.copyOf(applyOn);
    this.skipOn = List.copyOf(skipOn);
    this.narrowed = !this.applyOn.isEmpty() || !this.skipOn.isEmpty();
  }

  /** Serves {@code value} for any {@link Exception}. */
  public static <T extends @Nullable Object> Fallback<T> value(T value) {
    return on(Exception.class, failure -> value);
  }

  /** Serves {@code function(failure)} for any {@link Exception}. */
  public static <T extends @Nullable Object> Fallback<T> of(
      Function<? super Exception, ? extends T> function) {
    return on(Exception.class, function);
  }

  /** Serves {@code function(failure)} for failures of {@code type} (and its subtypes). */
  public static <T extends @Nullable Object, X extends Throwable> Fallback<T> on(
      Class<X> type, Function<? super X, ? extends T> function) {
    return new Fallback<T>(List.of(), List.of(), List.of()).orOn(type, function);
  }

  /** A fallback that also handles {@code type}; earlier handlers are tried first. */
  public <X extends Throwable> Fallback<T> orOn(
      Class<X> type, Function<? super X, ? extends T> function) {
    Settings.notNull("fallback.function", function);
    return orOnKeyed(type, (key, failure) -> function.apply(failure));
  }

  /**
   * Serves {@code function(key, failure)} for failures of {@code type}: the key is what the caller
   * passed to {@link Guard#callFor}, typically the call's arguments, so one prebuilt fallback can
   * answer for any arguments without allocating per call.
   */
  public static <T extends @Nullable Object, X extends Throwable> Fallback<T> onKeyed(
      Class<X> type, KeyedFunction<? super X, ? extends T> function) {
    return new Fallback<T>(List.of(), List.of(), List.of()).orOnKeyed(type, function);
  }

  /**
   * A fallback that also handles {@code type} with a keyed function; earlier handlers are tried
   * first.
   */
  public <X extends Throwable> Fallback<T> orOnKeyed(
      Class<X> type, KeyedFunction<? super X, ? extends T> function) {
    Settings.notNull("fallback.type", type);
    Settings.notNull("fallback.function", function);
    List<Handler<T>> more = new ArrayList<>(handlers);
    more.add(new Handler<>(type, function));
    return new Fallback<>(more, applyOn, skipOn);
  }

  /**
   * A fallback that answers only failures of these types (and their subtypes) among those its
   * handlers take: MicroProfile's {@code applyOn}. Every failure a handler takes when never called.
   */
  @SafeVarargs
  public final Fallback<T> applyOn(Class<? extends Throwable>... types) {
    return new Fallback<>(
        handlers, concat(applyOn, FailureClassifier.types("fallback.applyOn", types)), skipOn);
  }

  /**
   * A fallback that never answers failures of these types (and their subtypes), even when a handler
   * or {@link #applyOn} covers them: they reach the caller. MicroProfile's {@code skipOn}.
   */
  @SafeVarargs
  public final Fallback<T> skipOn(Class<? extends Throwable>... types) {
    return new Fallback<>(
        handlers, applyOn, concat(skipOn, FailureClassifier.types("fallback.skipOn", types)));
  }

  /** A fallback function that also sees the call's key, and may throw a checked exception. */
  @FunctionalInterface
  public interface KeyedFunction<X extends Throwable, T extends @Nullable Object> {
    T apply(@Nullable Object key, X failure) throws Exception;
  }

  private static <E> List<E> concat(List<E> first, List<E> second) {
    List<E> both = new ArrayList<>(first);
    both.addAll(second);
    return both;
  }

  /**
   * Whether this fallback answers {@code failure}: not skipped, applied to, and taken by a handler.
   */
  boolean handles(Throwable failure) {
    if (narrowed
        && (FailureClassifier.matches(skipOn, failure)
            || (!applyOn.isEmpty() && !FailureClassifier.matches(applyOn, failure)))) {
      return false;
    }
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
