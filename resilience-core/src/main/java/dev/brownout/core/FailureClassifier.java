package dev.brownout.core;

import dev.brownout.core.internal.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Decides whether a throwable counts against a breaker: ignored (not recorded at all), recorded as
 * a failure, or recorded as a success. Resilience4j's rules: the ignore list wins; with no record
 * list and no record predicate every exception is a failure; an exception that is neither is a
 * success.
 */
final class FailureClassifier {

  enum Verdict {
    IGNORED,
    FAILURE,
    SUCCESS
  }

  private final List<Class<? extends Throwable>> recorded;
  private final Predicate<? super Throwable> recordPredicate;
  private final List<Class<? extends Throwable>> ignored;
  private final Predicate<? super Throwable> ignorePredicate;

  FailureClassifier(
      List<Class<? extends Throwable>> recorded,
      Predicate<? super Throwable> recordPredicate,
      List<Class<? extends Throwable>> ignored,
      Predicate<? super Throwable> ignorePredicate) {
    this.recorded = List.copyOf(recorded);
    this.recordPredicate = recordPredicate;
    this.ignored = List.copyOf(ignored);
    this.ignorePredicate = ignorePredicate;
  }

  Verdict classify(Throwable thrown) {
    Throwable cause = unwrap(thrown);
    if (matches(ignored, cause) || (ignorePredicate != null && ignorePredicate.test(cause))) {
      return Verdict.IGNORED;
    }
    if (recorded.isEmpty() && recordPredicate == null) {
      return Verdict.FAILURE;
    }
    if (matches(recorded, cause) || (recordPredicate != null && recordPredicate.test(cause))) {
      return Verdict.FAILURE;
    }
    return Verdict.SUCCESS;
  }

  /** Async stages wrap the real failure; classify what the call actually threw. */
  static Throwable unwrap(Throwable thrown) {
    if ((thrown instanceof CompletionException || thrown instanceof ExecutionException)
        && thrown.getCause() != null) {
      return thrown.getCause();
    }
    return thrown;
  }

  /**
   * {@code types} as a list, each one checked not to be null, for the setting named {@code
   * setting}.
   */
  @SafeVarargs
  static List<Class<? extends Throwable>> types(
      String setting, Class<? extends Throwable>... types) {
    Settings.notNull(setting, types);
    List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
    for (Class<? extends Throwable> type : types) {
      list.add(Settings.notNull(setting, type));
    }
    return list;
  }

  /** Whether {@code thrown} is an instance of one of {@code types}. */
  static boolean matches(List<Class<? extends Throwable>> types, Throwable thrown) {
    for (Class<? extends Throwable> type : types) {
      if (type.isInstance(thrown)) {
        return true;
      }
    }
    return false;
  }
}
