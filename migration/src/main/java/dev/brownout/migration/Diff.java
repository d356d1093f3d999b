package dev.brownout.migration;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The readable difference between two values, for the message of a test-mode mismatch: both values
 * on aligned lines, then the field paths where they differ ({@link FieldDiff}), or, for values that
 * differ as a whole, the first character where their texts differ.
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
    List<FieldDiff.Difference> differences;
    try {
      differences = FieldDiff.of(control, candidate);
    } catch (RuntimeException e) {
      differences = List.of(); // a user's equals or accessor threw: the texts still tell
    }
    if (!differences.isEmpty() && !differences.get(0).at().equals(FieldDiff.ROOT)) {
      StringBuilder text = new StringBuilder("they differ at:");
      for (FieldDiff.Difference difference : differences) {
        text.append("\n    ")
            .append(difference.at())
            .append(": ")
            .append(difference.control())
            .append(" vs ")
            .append(difference.candidate());
      }
      return text.toString();
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
