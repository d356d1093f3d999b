package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** The salted key hash: sticky, monotone in the share, and independent between salts. */
class KeyHashProperties {

  private static final long FULL = 1L << 32;

  @Property(tries = 200)
  void aKeyHashesTheSameEveryTimeAndAsItsEqualCopy(
      @ForAll @StringLength(max = 40) String key, @ForAll long number, @ForAll long salt) {
    assertThat(KeyHash.of(key, salt)).isEqualTo(KeyHash.of(new String(key.toCharArray()), salt));
    assertThat(KeyHash.of((Object) number, salt)).isEqualTo(KeyHash.of(number, salt));
    UUID id = new UUID(number, ~number);
    assertThat(KeyHash.of((Object) id, salt))
        .isEqualTo(KeyHash.of(new UUID(number, ~number), salt));
  }

  @Property(tries = 100)
  void aKeyAdmittedAtOneStepStaysAdmittedAtEveryLargerStep(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100) Integer> steps,
      @ForAll long salt) {
    List<Integer> sorted = steps.stream().sorted().toList();
    for (long key = 0; key < 500; key++) {
      long hash = KeyHash.of(key, salt);
      boolean admittedBefore = false;
      for (int percent : sorted) {
        boolean admitted = KeyHash.admits(hash, percent * FULL / 100);
        assertThat(admitted || !admittedBefore).as("key %d at %d%%", key, percent).isTrue();
        admittedBefore = admitted;
      }
    }
  }

  @Property(tries = 30)
  void theFirstTenPercentOfTwoSaltsOverlapByAboutOnePercent(
      @ForAll @StringLength(min = 1, max = 12) String first,
      @ForAll @StringLength(min = 1, max = 12) String second,
      @ForAll @IntRange(min = 0, max = 3) int epoch) {
    long a = KeyHash.salt(first, epoch);
    long b = KeyHash.salt(first.equals(second) ? second + "'" : second, epoch);
    long tenth = FULL / 10;
    int keys = 20_000;
    int both = 0;
    for (int i = 0; i < keys; i++) {
      String key = "user:" + i;
      both +=
          KeyHash.admits(KeyHash.of(key, a), tenth) && KeyHash.admits(KeyHash.of(key, b), tenth)
              ? 1
              : 0;
    }
    assertThat((double) both / keys).isCloseTo(0.01, offset(6 * Math.sqrt(0.01 * 0.99 / keys)));
  }

  @Property(tries = 30)
  void aNewEpochGivesANewOrder(@ForAll @StringLength(min = 1, max = 12) String name) {
    long a = KeyHash.salt(name, 0);
    long b = KeyHash.salt(name, 1);
    long tenth = FULL / 10;
    int keys = 20_000;
    int both = 0;
    for (long key = 0; key < keys; key++) {
      both +=
          KeyHash.admits(KeyHash.of(key, a), tenth) && KeyHash.admits(KeyHash.of(key, b), tenth)
              ? 1
              : 0;
    }
    assertThat((double) both / keys).isCloseTo(0.01, offset(6 * Math.sqrt(0.01 * 0.99 / keys)));
  }

  @Property(tries = 30)
  void similarNamesOfAnyLengthAndScriptFillAShareEvenly(
      @ForAll @StringLength(min = 0, max = 20) String prefix,
      @ForAll @IntRange(min = 0, max = 3) int epoch) {
    long salt = KeyHash.salt("feed.beta", epoch);
    long tenth = FULL / 10;
    int keys = 20_000;
    int admitted = 0;
    for (int i = 0; i < keys; i++) {
      admitted += KeyHash.admits(KeyHash.of(prefix + i, salt), tenth) ? 1 : 0;
    }
    assertThat((double) admitted / keys).isCloseTo(0.1, offset(6 * Math.sqrt(0.1 * 0.9 / keys)));
  }

  @Property(tries = 200)
  void keysThatDifferInOneCharacterOrATrailingZeroHashApart(
      @ForAll @StringLength(min = 0, max = 17) String key, @ForAll char other) {
    long salt = KeyHash.salt("s", 0);
    String changed = key + other;
    assertThat(KeyHash.of(changed, salt)).isNotEqualTo(KeyHash.of(key, salt));
    assertThat(KeyHash.of(key + "\0", salt)).isNotEqualTo(KeyHash.of(key, salt));
    assertThat(KeyHash.of("é" + key, salt)).isNotEqualTo(KeyHash.of("e" + key, salt));
  }
}
