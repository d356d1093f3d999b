package dev.brownout.migration;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The readable difference between two values, for the message of a test-mode mismatch: both values
 * on aligned lines, then where they first differ (an index of a list, the keys of a map, or a
 * character of their text).
 */
final class Diff {

  private Diff() {}

  static String of(@Nullable Object control, @Nullable Object candidate) {
    String a = String.valueOf(control);
    String b = String.valueOf(candidate);
    StringBuilder text = new StringBuilder().append("  control:   ").append(a).append('\n');
    text.append("  candidate: ").append(b).append('\n');
    text.append("  ").append(where(control, candidate, a, b));
    return text.toString();
  }

  private static String where(
      @Nullable Object control, @Nullable Object candidate, String a, String b) {
    if (control instanceof List<?> x && candidate instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        if (!Objects.equals(x.get(i), y.get(i))) {
          return "first difference at index " + i + ": " + x.get(i) + " vs " + y.get(i);
        }
      }
      if (x.size() != y.size()) {
        return "sizes differ: " + x.size() + " vs " + y.size();
      }
    }
    if (control instanceof Map<?, ?> x && candidate instanceof Map<?, ?> y) {
      TreeSet<String> keys = new TreeSet<>();
      for (Object key : x.keySet()) {
        if (!y.containsKey(key) || !Objects.equals(x.get(key), y.get(key))) {
          keys.add(String.valueOf(key));
        }
      }
      for (Object key : y.keySet()) {
        if (!x.containsKey(key)) {
          keys.add(String.valueOf(key));
        }
      }
      if (!keys.isEmpty()) {
        return "keys that differ: " + keys;
      }
    }
    int i = 0;
    while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    if (i == a.length() && i == b.length()) {
      return "their texts are equal; the compare function tells them apart";
    }
    return " ".repeat(11 + i) + "^ first difference at character " + i;
  }
}
