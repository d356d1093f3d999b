package dev.brownout.degradation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The name of a feature: lower-case words joined by dots, where each dot steps down the hierarchy
 * ({@code feed.recommendations} lies under {@code feed}). Names are checked once, when a feature is
 * declared, so that the switch check on the hot path never looks at a string.
 *
 * <pre>{@code
 * FeatureName name = FeatureName.of("feed.recommendations");
 * name.parent();          // Optional[feed]
 * name.isUnder(FeatureName.of("feed"));   // true
 * }</pre>
 */
public final class FeatureName implements Comparable<FeatureName> {

  private static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
  private static final int MAX_LENGTH = 200;

  private final String value;

  private FeatureName(String value) {
    this.value = value;
  }

  /** Parses a feature name, or explains what a valid one looks like. */
  public static FeatureName of(String value) {
    if (value == null || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "feature.name must be dotted lower-case words such as 'feed.recommendations' (letters, digits"
              + " and '-', each word starting with a letter, at most "
              + MAX_LENGTH
              + " characters), but was "
              + (value == null ? "null" : "'" + value + "'"));
    }
    return new FeatureName(value);
  }

  /** The feature one level up, or empty for a top-level feature. */
  public java.util.Optional<FeatureName> parent() {
    int dot = value.lastIndexOf('.');
    return dot < 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(new FeatureName(value.substring(0, dot)));
  }

  /** Every feature above this one, nearest first. */
  public List<FeatureName> ancestors() {
    List<FeatureName> ancestors = new ArrayList<>();
    for (int dot = value.lastIndexOf('.'); dot > 0; dot = value.lastIndexOf('.', dot - 1)) {
      ancestors.add(new FeatureName(value.substring(0, dot)));
    }
    return Collections.unmodifiableList(ancestors);
  }

  /** Whether this feature is {@code other} or lies anywhere below it. */
  public boolean isUnder(FeatureName other) {
    return value.equals(other.value)
        || (value.startsWith(other.value) && value.charAt(other.value.length()) == '.');
  }

  /**
   * How many levels deep the feature is: 1 for {@code feed}, 2 for {@code feed.recommendations}.
   */
  public int depth() {
    int depth = 1;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '.') {
        depth++;
      }
    }
    return depth;
  }

  @Override
  public int compareTo(FeatureName other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof FeatureName that && that.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
