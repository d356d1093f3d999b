package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureNameTest {

  @Test
  void aChildLiesUnderItsParentAndItsParentsParent() {
    FeatureName name = FeatureName.of("feed.recommendations.carousel");

    assertThat(name.parent()).contains(FeatureName.of("feed.recommendations"));
    assertThat(name.ancestors())
        .containsExactly(FeatureName.of("feed.recommendations"), FeatureName.of("feed"));
    assertThat(name.isUnder(FeatureName.of("feed"))).isTrue();
    assertThat(name.depth()).isEqualTo(3);
  }

  @Test
  void aSharedPrefixIsNotAParent() {
    assertThat(FeatureName.of("feeds").isUnder(FeatureName.of("feed"))).isFalse();
    assertThat(FeatureName.of("feed").parent()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Feed",
        "feed.",
        ".feed",
        "feed..x",
        "1feed",
        "feed.Recs",
        "feed recs",
        "feed.-x"
      })
  void rejectsNamesThatAreNotDottedLowerCaseWords(String bad) {
    assertThatThrownBy(() -> FeatureName.of(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("feature.name")
        .hasMessageContaining("'" + bad + "'");
  }

  @Test
  void rejectsNullByName() {
    assertThatThrownBy(() -> FeatureName.of(null))
        .hasMessageContaining("feature.name")
        .hasMessageContaining("null");
  }

  @Property
  void everyAncestorContainsTheName(@ForAll("names") String raw) {
    FeatureName name = FeatureName.of(raw);
    List<FeatureName> ancestors = name.ancestors();

    assertThat(ancestors).hasSize(name.depth() - 1);
    for (FeatureName ancestor : ancestors) {
      assertThat(name.isUnder(ancestor)).isTrue();
      assertThat(ancestor.isUnder(name)).isFalse();
    }
    assertThat(FeatureName.of(name.toString())).isEqualTo(name).hasSameHashCodeAs(name);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> word =
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    return word.list().ofMinSize(1).ofMaxSize(5).map(words -> String.join(".", words));
  }
}
