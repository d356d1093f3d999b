package dev.brownout.migration;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where two values differ, as field paths: records by component, maps by key, lists and arrays by
 * index, anything else as a whole by {@link Objects#equals}. A path names both the place ({@code
 * comments[3].author}) and, for counting, its shape ({@code comments[*].author}), so that a
 * difference in any element of a list counts under one path.
 *
 * <p>Two lists of the same size holding the same elements in another order differ only at {@code
 * comments[order]}: a reordering is one difference, not one per shifted element. A list whose size
 * changed differs at {@code comments[size]}, and its common prefix is compared element by element.
 *
 * <p>Bounded: at most {@link #MAX_DEPTH} levels (which also ends a value that contains itself) and
 * {@link #MAX_DIFFERENCES} differences per pair. A record whose accessors this module may not call
 * (a record of a package its module neither exports nor opens to this one) is compared as a whole.
 */
final class FieldDiff {

  /** How deep the walk goes; below it, values compare as a whole. */
  static final int MAX_DEPTH = 16;

  /** How many differences one pair reports at most. */
  static final int MAX_DIFFERENCES = 32;

  /** The path of the value itself, when it differs as a whole. */
  static final String ROOT = "$";

  /**
   * One place where the two values differ.
   *
   * @param path the shape of the place, list indexes as {@code [*]}: what is counted
   * @param at the place itself, with its indexes
   * @param control the control's value there (null when absent)
   * @param candidate the candidate's value there (null when absent)
   */
  record Difference(String path, String at, @Nullable Object control, @Nullable Object candidate) {}

  /** Stands for a null element when counting a list's elements. */
  private static final Object NULL = new Object();

  private final List<Difference> found = new ArrayList<>();

  private FieldDiff() {}

  /** The places where {@code control} and {@code candidate} differ; empty when they do not. */
  static List<Difference> of(@Nullable Object control, @Nullable Object candidate) {
    FieldDiff diff = new FieldDiff();
    diff.walk("", "", control, candidate, 0);
    return diff.found;
  }

  private void walk(String path, String at, @Nullable Object a, @Nullable Object b, int depth) {
    if (found.size() >= MAX_DIFFERENCES || Objects.equals(a, b)) {
      return;
    }
    if (a == null || b == null || depth >= MAX_DEPTH) {
      add(path, at, a, b);
    } else if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      maps(path, at, x, y, depth);
    } else if (a instanceof List<?> x && b instanceof List<?> y) {
      lists(path, at, x, y, depth);
    } else if (a.getClass().isArray() && b.getClass().isArray()) {
      lists(path, at, arrayList(a), arrayList(b), depth);
    } else if (a.getClass().isRecord() && a.getClass() == b.getClass()) {
      record(path, at, a, b, depth);
    } else {
      add(path, at, a, b);
    }
  }

  private void maps(String path, String at, Map<?, ?> x, Map<?, ?> y, int depth) {
    // Sorted by their text, so that the same pair always reports its differences in one order.
    TreeSet<String> names = new TreeSet<>();
    Map<String, Object> keys = new HashMap<>();
    for (Object key : x.keySet()) {
      keys.put(String.valueOf(key), key);
    }
    for (Object key : y.keySet()) {
      keys.putIfAbsent(String.valueOf(key), key);
    }
    names.addAll(keys.keySet());
    for (String name : names) {
      Object key = keys.get(name);
      walk(field(path, name), field(at, name), x.get(key), y.get(key), depth + 1);
    }
  }

  private void lists(String path, String at, List<?> x, List<?> y, int depth) {
    if (x.equals(y)) {
      return; // two arrays with equal elements
    }
    if (x.size() == y.size() && sameElements(x, y)) {
      add(path + "[order]", at + "[order]", x, y);
      return;
    }
    if (x.size() != y.size()) {
      add(path + "[size]", at + "[size]", x.size(), y.size());
    }
    int common = Math.min(x.size(), y.size());
    for (int i = 0; i < common && found.size() < MAX_DIFFERENCES; i++) {
      walk(path + "[*]", at + "[" + i + "]", x.get(i), y.get(i), depth + 1);
    }
  }

  private void record(String path, String at, Object a, Object b, int depth) {
    RecordComponent[] components = a.getClass().getRecordComponents();
    Object[] left = new Object[components.length];
    Object[] right = new Object[components.length];
    try {
      for (int i = 0; i < components.length; i++) {
        Method accessor = components[i].getAccessor();
        // A record that is not public needs this; one of a package its module keeps closed says no.
        if (!accessor.canAccess(a) && !accessor.trySetAccessible()) {
          add(path, at, a, b);
          return;
        }
        left[i] = accessor.invoke(a);
        right[i] = accessor.invoke(b);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Not ours to open (a record of an unexported package): compared as a whole.
      add(path, at, a, b);
      return;
    }
    int before = found.size();
    for (int i = 0; i < components.length; i++) {
      String name = components[i].getName();
      walk(field(path, name), field(at, name), left[i], right[i], depth + 1);
    }
    if (found.size() == before) {
      // equals() tells them apart, but no component does: it is the record's own rule.
      add(path, at, a, b);
    }
  }

  private void add(String path, String at, @Nullable Object a, @Nullable Object b) {
    found.add(new Difference(path.isEmpty() ? ROOT : path, at.isEmpty() ? ROOT : at, a, b));
  }

  private static String field(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** Whether both lists hold the same elements as many times each, in any order. */
  private static boolean sameElements(List<?> x, List<?> y) {
    Map<Object, Integer> counts = new HashMap<>();
    for (Object element : x) {
      counts.merge(Objects.requireNonNullElse(element, NULL), 1, Integer::sum);
    }
    for (Object element : y) {
      Object key = Objects.requireNonNullElse(element, NULL);
      Integer left = counts.get(key);
      if (left == null) {
        return false;
      }
      if (left == 1) {
        counts.remove(key);
      } else {
        counts.put(key, left - 1);
      }
    }
    return counts.isEmpty();
  }

  private static List<?> arrayList(Object array) {
    int length = Array.getLength(array);
    List<@Nullable Object> list = new ArrayList<>(length);
    for (int i = 0; i < length; i++) {
      list.add(Array.get(array, i));
    }
    return list;
  }

  /** The distinct counted paths of {@code differences}, in their order. */
  static Collection<String> paths(List<Difference> differences) {
    List<String> paths = new ArrayList<>(differences.size());
    for (Difference difference : differences) {
      if (!paths.contains(difference.path())) {
        paths.add(difference.path());
      }
    }
    return paths;
  }
}
