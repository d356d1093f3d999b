package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * A rollout of p % admits p % of a large key sample, within a statistical bound, and sticks per
 * key.
 */
class RolloutProperties {

  private static final int SAMPLE = 20_000;

  @Property(tries = 60)
  void aRolloutAdmitsItsShareOfKeys(
      @ForAll @IntRange(min = 0, max = 10_000) int hundredths,
      @ForAll @LongRange(min = 0, max = 1L << 40) long firstId) {
    try (TestRuntime runtime = new TestRuntime()) {
      double p = hundredths / 10_000.0;
      runtime.features.set("beta", Switch.rollout(hundredths / 100.0));
      Feature beta = runtime.features.feature("beta");
      int admitted = 0;
      int admittedAsText = 0;
      for (long id = firstId; id < firstId + SAMPLE; id++) {
        admitted += beta.isEnabled(id) ? 1 : 0;
        admittedAsText += beta.isEnabled("user:" + id) ? 1 : 0;
      }
      // Six standard deviations, plus one key for the rounding at the ends.
      double bound = 6 * Math.sqrt(p * (1 - p) / SAMPLE) + 1.0 / SAMPLE;
      assertThat((double) admitted / SAMPLE)
          .isCloseTo(p, org.assertj.core.data.Offset.offset(bound));
      assertThat((double) admittedAsText / SAMPLE)
          .isCloseTo(p, org.assertj.core.data.Offset.offset(bound));
    }
  }

  @Property(tries = 60)
  void aKeyKeepsItsAnswerAndALargerShareKeepsEveryKeyOfASmallerOne(
      @ForAll @IntRange(min = 0, max = 100) int smaller,
      @ForAll @IntRange(min = 0, max = 100) int larger) {
    try (TestRuntime runtime = new TestRuntime()) {
      int low = Math.min(smaller, larger);
      int high = Math.max(smaller, larger);
      Feature beta = runtime.features.feature("beta");
      runtime.features.set("beta", Switch.rollout(low));
      Set<String> in = new HashSet<>();
      for (int i = 0; i < 2_000; i++) {
        if (beta.isEnabled("k" + i)) {
          in.add("k" + i);
        }
      }
      runtime.features.set("beta", Switch.rollout(high));
      for (String key : in) {
        assertThat(beta.isEnabled(key)).as("a key in at %d%% stays in at %d%%", low, high).isTrue();
      }
      runtime.features.set("beta", Switch.rollout(low));
      for (int i = 0; i < 2_000; i++) {
        assertThat(beta.isEnabled("k" + i)).isEqualTo(in.contains("k" + i));
      }
    }
  }
}
