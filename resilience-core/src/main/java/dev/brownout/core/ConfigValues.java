package dev.brownout.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The settings of one config, by name and in a fixed order: what the config's {@code equals},
 * {@code hashCode} and {@code toString} compare and print, and what the runtime names when two
 * configs given under one name differ.
 *
 * <p>A user's predicate or function has no value to compare: it is kept as a <em>function</em>,
 * equal only to itself, so two configs built with two lambdas differ, and the message says so and
 * why rather than claiming different values.
 */
final class ConfigValues {

  private final String type;
  private final List<String> names = new ArrayList<>();
  private final List<Object> values = new ArrayList<>();
  private final List<Boolean> functions = new ArrayList<>();

  ConfigValues(String type) {
    this.type = type;
  }

  /** A setting compared by value. */
  ConfigValues value(String name, Object value) {
    return add(name, value, false);
  }

  /** A predicate or function, compared by identity; {@code null} when it is not set. */
  ConfigValues function(String name, Object function) {
    return add(name, function, true);
  }

  /** Exception types, compared as a set (order and repeats do not change a decision). */
  ConfigValues types(String name, List<Class<? extends Throwable>> types) {
    return add(name, types.isEmpty() ? null : new TypeSet(new LinkedHashSet<>(types)), false);
  }

  private ConfigValues add(String name, Object value, boolean function) {
    names.add(name);
    values.add(value);
    functions.add(function);
    return this;
  }

  /**
   * Why {@code given} differs from {@code existing}, both configs of a runtime's named part, for
   * the message that refuses the second one: the first setting that differs, or the two types.
   */
  static String difference(Object existing, Object given) {
    ConfigValues a = of(existing);
    ConfigValues b = of(given);
    if (a == null || b == null || !a.type.equals(b.type)) {
      return existing != null && given != null && existing.getClass() == given.getClass()
          ? "two different " + existing.getClass().getSimpleName() + " instances"
          : "one is " + describe(existing) + ", the other " + describe(given);
    }
    for (int i = 0; i < a.names.size(); i++) {
      Object x = a.values.get(i);
      Object y = b.values.get(i);
      if (Objects.equals(x, y)) {
        continue;
      }
      String name = a.names.get(i);
      if (a.functions.get(i) && x != null && y != null) {
        return "configs differ in "
            + name
            + " (a predicate; predicates compare by identity, so share one config"
            + " instance or one predicate instance)";
      }
      return "configs differ in " + name + ": " + a.print(i) + " before, " + b.print(i) + " now";
    }
    return "configs are equal";
  }

  private static ConfigValues of(Object config) {
    return config instanceof ValueConfig c ? c.values() : null;
  }

  private static String describe(Object config) {
    if (config == null) {
      return "nothing";
    }
    String type = config.getClass().getSimpleName();
    return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  private String print(int i) {
    Object value = values.get(i);
    if (value == null) {
      return "not set";
    }
    return functions.get(i) ? "a predicate" : value.toString();
  }

  private record TypeSet(Set<Class<? extends Throwable>> types) {
    @Override
    public String toString() {
      StringJoiner names = new StringJoiner(", ", "[", "]");
      for (Class<? extends Throwable> type : types) {
        names.add(type.getName());
      }
      return names.toString();
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConfigValues that
        && that.type.equals(type)
        && that.values.equals(values);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(type).append('[');
    boolean first = true;
    for (int i = 0; i < names.size(); i++) {
      if (values.get(i) == null) {
        continue;
      }
      text.append(first ? "" : ", ").append(names.get(i)).append('=').append(print(i));
      first = false;
    }
    return text.append(']').toString();
  }
}
