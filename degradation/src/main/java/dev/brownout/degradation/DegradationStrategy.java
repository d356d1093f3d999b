package dev.brownout.degradation;

import dev.brownout.core.internal.Settings;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a guarded call returns while its feature is off: a constant, a fallback function, the last
 * good value for the same key, or a fast {@link FeatureDegradedException}. A strategy is a
 * description; each {@link Feature#degradeTo} makes its own state from it (the last-good cache).
 *
 * <pre>{@code
 * DegradationStrategy<List<Item>> strategy =
 *     DegradationStrategy.<List<Item>>lastGood(10_000, Duration.ofMinutes(10))
 *         .orElse(DegradationStrategy.value(List.of()));
 * }</pre>
 *
 * @param <T> the type of the guarded call's result
 */
public abstract class DegradationStrategy<T extends @Nullable Object> {

  private final String name;

  DegradationStrategy(String name) {
    this.name = name;
  }

  /** Serves {@code value}. */
  public static <T extends @Nullable Object> DegradationStrategy<T> value(T value) {
    return new Constant<>(value);
  }

  /**
   * Serves what {@code function} computes from the call's key and the reason the feature is off.
   */
  public static <T extends @Nullable Object> DegradationStrategy<T> fallback(
      DegradedFunction<? extends T> function) {
    return new Computed<>(Settings.notNull("strategy.fallback", function));
  }

  /**
   * Serves the most recent successful result of the same guard for the same key (the key given to
   * {@code callFor}, or the one result of a guard called without keys), from a cache of at most
   * {@code maxEntries} results, each at most {@code maxAge} old. Failures and {@code null} results
   * are never cached. With no such value it falls through to {@link LastGood#orElse}, by default
   * {@link #fail()}.
   */
  public static <T extends @Nullable Object> LastGood<T> lastGood(
      long maxEntries, Duration maxAge) {
    if (maxEntries < 1) {
      throw Settings.invalid("strategy.lastGood.maxEntries", maxEntries, "must be at least 1");
    }
    return new LastGood<>(
        maxEntries, Settings.positive("strategy.lastGood.maxAge", maxAge), fail());
  }

  /** Throws a stackless {@link FeatureDegradedException}: the caller decides what to do. */
  public static <T extends @Nullable Object> DegradationStrategy<T> fail() {
    return new Fail<>();
  }

  /** The name used in the {@code strategy} tag of {@code brownout.feature.degraded.calls}. */
  public final String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Computes a substitute from the key of a degraded call and the reason its feature is off. */
  @FunctionalInterface
  public interface DegradedFunction<T extends @Nullable Object> {
    T apply(@Nullable Object key, String reason) throws Exception;
  }

  /** A constant. */
  static final class Constant<T extends @Nullable Object> extends DegradationStrategy<T> {
    final T value;

    Constant(T value) {
      super("value");
      this.value = value;
    }
  }

  /** A function of key and reason. */
  static final class Computed<T extends @Nullable Object> extends DegradationStrategy<T> {
    final DegradedFunction<? extends T> function;

    Computed(DegradedFunction<? extends T> function) {
      super("fallback");
      this.function = function;
    }
  }

  /** The stackless exception. */
  static final class Fail<T extends @Nullable Object> extends DegradationStrategy<T> {
    Fail() {
      super("fail");
    }
  }

  /**
   * The last good value, falling through to another strategy when there is none.
   *
   * @param <T> the type of the guarded call's result
   */
  public static final class LastGood<T extends @Nullable Object> extends DegradationStrategy<T> {
    final long maxEntries;
    final Duration maxAge;
    final DegradationStrategy<T> next;

    LastGood(long maxEntries, Duration maxAge, DegradationStrategy<T> next) {
      super("last-good");
      this.maxEntries = maxEntries;
      this.maxAge = maxAge;
      this.next = next;
    }

    /** What to serve when there is no good value for the key (default {@link #fail()}). */
    public LastGood<T> orElse(DegradationStrategy<T> otherwise) {
      return new LastGood<>(
          maxEntries, maxAge, Settings.notNull("strategy.lastGood.orElse", otherwise));
    }
  }
}
