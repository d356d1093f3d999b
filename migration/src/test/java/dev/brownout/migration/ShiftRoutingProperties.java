package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * A shift's routing, through its public API: sticky and monotone for random keys of every supported
 * type over random step sequences, and independent between two shifts.
 */
class ShiftRoutingProperties {

  private static final int KEYS = 2_000;

  /** The key number {@code i} as each supported key type: a String, a long, a UUID. */
  private static Object key(int type, long i) {
    return switch (type) {
      case 0 -> "user-" + i;
      case 1 -> i;
      default -> new UUID(i * 0x9E3779B97F4A7C15L, ~i);
    };
  }

  @Property(tries = 40)
  void aKeyOnTheNewPathStaysThereAsTheShareGrowsAndEveryCallAgrees(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 100) Integer> steps,
      @ForAll @IntRange(min = 0, max = 2) int keyType,
      @ForAll @StringLength(min = 1, max = 10) String suffix,
      @ForAll @IntRange(min = 0, max = 5) int epoch)
      throws Exception {
    double[] ascending = steps.stream().distinct().sorted().mapToDouble(i -> i).toArray();
    String name = "s-" + Integer.toHexString(suffix.hashCode() & 0xfffffff);
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      Shift<String> shift =
          Shift.<String>builder(name, brownout, features).steps(ascending).epoch(epoch).build();
      String feature = "shift-" + name + (epoch == 0 ? "" : "-e" + epoch);
      boolean[] onNew = new boolean[KEYS];
      for (double percent : ascending) {
        features.set(feature, Switch.rollout(percent), "test");
        int routed = 0;
        for (int i = 0; i < KEYS; i++) {
          Object key = key(keyType, i);
          boolean now = shift.routesToNew(key);
          assertThat(now || !onNew[i]).as("key %s at %s%%", key, percent).isTrue();
          assertThat(shift.routesToNew(key)).as("the same key twice").isEqualTo(now);
          if (i % 50 == 0) {
            assertThat(shift.call(key, () -> "old", () -> "new")).isEqualTo(now ? "new" : "old");
          }
          onNew[i] = now;
          routed += now ? 1 : 0;
        }
        double share = percent / 100;
        assertThat((double) routed / KEYS)
            .as("share at %s%%", percent)
            .isCloseTo(share, offset(6 * Math.sqrt(share * (1 - share) / KEYS) + 1e-9));
      }
    }
  }

  /** Two shifts at 10 % pick their first keys independently: about 1 % of keys are in both. */
  @Property(tries = 20)
  void twoShiftsPickTheirFirstKeysIndependently(
      @ForAll @StringLength(min = 1, max = 10) String suffix,
      @ForAll @IntRange(min = 0, max = 2) int keyType) {
    String first = "a-" + Integer.toHexString(suffix.hashCode() & 0xfffffff);
    String second = "b-" + Integer.toHexString(suffix.hashCode() & 0xfffffff);
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      Shift<String> one = Shift.<String>builder(first, brownout, features).steps(10, 100).build();
      Shift<String> two = Shift.<String>builder(second, brownout, features).steps(10, 100).build();
      int keys = 20_000;
      int both = 0;
      for (int i = 0; i < keys; i++) {
        Object key = key(keyType, i);
        both += one.routesToNew(key) && two.routesToNew(key) ? 1 : 0;
      }
      assertThat((double) both / keys).isCloseTo(0.01, offset(6 * Math.sqrt(0.01 * 0.99 / keys)));
    }
  }
}
