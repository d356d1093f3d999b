package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.migration.FieldDiff.Difference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where {@link FieldDiff} finds two values differ: one shape of value per test. */
class FieldDiffTest {

  record Comment(long id, String author, String text) {}

  record Page(String title, List<Comment> comments, long renderedAt) {}

  private static List<String> at(Object a, Object b) {
    return FieldDiff.of(a, b).stream().map(Difference::at).toList();
  }

  private static List<String> paths(Object a, Object b) {
    return List.copyOf(FieldDiff.paths(FieldDiff.of(a, b)));
  }

  @Test
  void equalValuesHaveNoDifference() {
    Page page = new Page("t", List.of(new Comment(1, "ann", "hi")), 5);

    assertThat(FieldDiff.of(page, new Page("t", List.of(new Comment(1, "ann", "hi")), 5)))
        .isEmpty();
    assertThat(FieldDiff.of(null, null)).isEmpty();
  }

  @Test
  void recordsDifferByComponentAndListElementsCountUnderOnePath() {
    Page old = new Page("t", List.of(new Comment(1, "ann", "hi"), new Comment(2, "bo", "yo")), 5);
    Page updated =
        new Page("t", List.of(new Comment(1, "ann", "hi"), new Comment(2, "BO", "yo")), 6);

    assertThat(at(old, updated)).containsExactly("comments[1].author", "renderedAt");
    assertThat(paths(old, updated)).containsExactly("comments[*].author", "renderedAt");
    Difference author = FieldDiff.of(old, updated).get(0);
    assertThat(author.control()).isEqualTo("bo");
    assertThat(author.candidate()).isEqualTo("BO");
  }

  @Test
  void aListInAnotherOrderIsOneDifference() {
    Comment a = new Comment(1, "ann", "hi");
    Comment b = new Comment(2, "bo", "yo");

    assertThat(at(new Page("t", List.of(a, b), 5), new Page("t", List.of(b, a), 5)))
        .containsExactly("comments[order]");
    assertThat(at(List.of("a", "b", "c"), List.of("a", "c", "b"))).containsExactly("[order]");
  }

  @Test
  void aListOfAnotherSizeDiffersInSizeAndInItsCommonPrefix() {
    assertThat(at(List.of("a", "b"), List.of("a", "x", "c"))).containsExactly("[size]", "[1]");
    assertThat(FieldDiff.of(List.of("a"), List.of("a", "b")).get(0).control()).isEqualTo(1);
  }

  @Test
  void mapsDifferByKeyIncludingMissingKeys() {
    Map<String, Object> old = new LinkedHashMap<>();
    old.put("id", 7);
    old.put("tags", List.of("x"));
    old.put("gone", true);
    Map<String, Object> updated = new LinkedHashMap<>();
    updated.put("id", 7);
    updated.put("tags", List.of("y"));
    updated.put("added", 1);

    assertThat(at(old, updated)).containsExactly("added", "gone", "tags[0]");
  }

  @Test
  void jsonLikeTreesDifferDeepInside() {
    Map<String, Object> old = Map.of("user", Map.of("name", "ann", "roles", List.of("a", "b")));
    Map<String, Object> updated = Map.of("user", Map.of("name", "ann", "roles", List.of("a", "c")));

    assertThat(at(old, updated)).containsExactly("user.roles[1]");
    assertThat(paths(old, updated)).containsExactly("user.roles[*]");
  }

  @Test
  void arraysDifferByIndexAndEqualArraysDoNot() {
    assertThat(at(new int[] {1, 2, 3}, new int[] {1, 2, 4})).containsExactly("[2]");
    assertThat(FieldDiff.of(new int[] {1, 2}, new int[] {1, 2})).isEmpty();
    assertThat(at(new String[] {"a", "b"}, new String[] {"b", "a"})).containsExactly("[order]");
  }

  @Test
  void scalarsAndNullsDifferAsAWhole() {
    assertThat(at("a", "b")).containsExactly(FieldDiff.ROOT);
    assertThat(at(null, "b")).containsExactly(FieldDiff.ROOT);
    assertThat(at(new Page("t", List.of(), 1), null)).containsExactly(FieldDiff.ROOT);
    assertThat(at(1, 1L)).containsExactly(FieldDiff.ROOT);
  }

  @Test
  void aDeepValueIsComparedAsAWholeBelowTheDepthBound() {
    Object a = "a";
    Object b = "b";
    for (int i = 0; i < 40; i++) {
      a = List.of(a);
      b = List.of(b);
    }

    assertThat(at(a, b)).containsExactly("[0]".repeat(FieldDiff.MAX_DEPTH));
  }

  @Test
  void aPairReportsAtMostTheBoundedNumberOfDifferences() {
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      a.add(i);
      b.add(i + 1000);
    }

    assertThat(FieldDiff.of(a, b)).hasSize(FieldDiff.MAX_DIFFERENCES);
  }
}
