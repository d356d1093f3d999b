package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.migration.FieldDiff.Difference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/** {@link FieldDiff} over random JSON-like trees: maps, lists and scalars. */
class FieldDiffProperties {

  @Provide
  Arbitrary<Object> trees() {
    return tree(4);
  }

  private static Arbitrary<Object> tree(int depth) {
    Arbitrary<Object> scalar =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 5).map(i -> (Object) i),
            Arbitraries.strings().alpha().ofMaxLength(3).map(s -> (Object) s));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> child = tree(depth - 1);
    Arbitrary<Object> list = child.list().ofMaxSize(4).map(l -> (Object) l);
    Arbitrary<Object> map =
        Arbitraries.maps(Arbitraries.of("a", "b", "c", "d"), child)
            .ofMaxSize(4)
            .map(m -> (Object) new LinkedHashMap<>(m));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, scalar),
        net.jqwik.api.Tuple.of(1, list),
        net.jqwik.api.Tuple.of(1, map));
  }

  @Property(tries = 300)
  void aValueDoesNotDifferFromItsCopy(@ForAll("trees") Object tree) {
    assertThat(FieldDiff.of(tree, copy(tree, "", null))).isEmpty();
    assertThat(FieldDiff.of(tree, tree)).isEmpty();
  }

  @Provide
  Arbitrary<Map.Entry<Object, Integer>> treesAndALeaf() {
    return Combinators.combine(trees(), Arbitraries.integers().between(0, 1_000)).as(Map::entry);
  }

  @Property(tries = 300)
  void changingOneLeafDiffersAtExactlyThatLeaf(
      @ForAll("treesAndALeaf") Map.Entry<Object, Integer> input) {
    Object tree = input.getKey();
    List<String> leaves = new ArrayList<>();
    leaves(tree, "", leaves);
    Assume.that(!leaves.isEmpty()); // an empty map or list has no leaf to change
    String leaf = leaves.get(input.getValue() % leaves.size());

    Object changed = copy(tree, "", leaf);
    List<Difference> differences = FieldDiff.of(tree, changed);

    assertThat(differences).extracting(Difference::at).containsExactly(leaf);
  }

  /** The places of every scalar of {@code tree}, named as {@link FieldDiff} names them. */
  private static void leaves(Object tree, String at, List<String> into) {
    if (tree instanceof Map<?, ?> map) {
      map.forEach((key, value) -> leaves(value, join(at, String.valueOf(key)), into));
    } else if (tree instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        leaves(list.get(i), at + "[" + i + "]", into);
      }
    } else {
      into.add(at.isEmpty() ? FieldDiff.ROOT : at);
    }
  }

  /** A deep copy of {@code tree}, with the scalar at {@code changed} (if any) replaced. */
  private static Object copy(Object tree, String at, @Nullable String changed) {
    if (tree instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach(
          (key, value) -> copy.put(key, copy(value, join(at, String.valueOf(key)), changed)));
      return copy;
    }
    if (tree instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), at + "[" + i + "]", changed));
      }
      return copy;
    }
    String here = at.isEmpty() ? FieldDiff.ROOT : at;
    // A value of another type than any the trees hold: it differs from every scalar.
    return here.equals(changed) ? Double.valueOf(tree.hashCode() + 0.5) : tree;
  }

  private static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }
}
