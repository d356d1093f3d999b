package dev.brownout.degradation;

import java.util.UUID;

/**
 * The stable, salted hash of a key's bytes that decides which keys a share (a ROLLOUT) admits: the
 * one place that turns a key into a position in the rollout range.
 *
 * <p>Why bytes and a salt. A key's {@code hashCode} is not the same in every JVM for every type (an
 * enum's is its identity hash), and an unsalted hash puts the same keys first in every rollout: two
 * features at 10 % would both go to the same users. The hash here reads a string's UTF-8 bytes, a
 * number's eight bytes and a UUID's sixteen, so every instance agrees; the salt, from the name of
 * what is rolled out and an epoch, gives each rollout its own order of keys, and a new epoch a new
 * order.
 *
 * <p>A string's bytes go through FNV-1a (64 bits) seeded with the salt, a number's are folded in
 * whole (see {@code ofLong}); then MurmurHash3's 64-bit finaliser, which spreads similar inputs
 * (consecutive ids, names that differ in one letter) over all 64 bits. A string is encoded as it is
 * read, char by char: hashing allocates nothing and reads no clock.
 */
final class KeyHash {

  private static final long FNV_OFFSET = 0xcbf2_9ce4_8422_2325L;
  private static final long FNV_PRIME = 0x100_0000_01b3L;
  private static final long GOLDEN = 0x9e37_79b9_7f4a_7c15L;

  private KeyHash() {}

  /** The salt of what is rolled out under {@code name}, for {@code epoch} (0 until changed). */
  static long salt(String name, long epoch) {
    return fmix(ofString(name, FNV_OFFSET) ^ fmix(epoch + FNV_PRIME));
  }

  /**
   * The hash of {@code key} under {@code salt}. Strings, UUIDs, enums (by name) and integral
   * numbers (as a long, so {@code 7}, {@code 7L} and {@code (short) 7} agree) hash their bytes; any
   * other key hashes its {@code hashCode}, which must then be stable across processes.
   */
  static long of(Object key, long salt) {
    if (key instanceof String s) {
      return fmix(ofString(s, salt ^ FNV_OFFSET));
    }
    if (key instanceof Long
        || key instanceof Integer
        || key instanceof Short
        || key instanceof Byte) {
      return of(((Number) key).longValue(), salt);
    }
    if (key instanceof UUID u) {
      return of(u, salt);
    }
    if (key instanceof Enum<?> e) {
      return fmix(ofString(e.name(), salt ^ FNV_OFFSET));
    }
    return of(key.hashCode(), salt);
  }

  /** The hash of a numeric key: its eight bytes. */
  static long of(long key, long salt) {
    return fmix(ofLong(key, salt ^ FNV_OFFSET));
  }

  /** The hash of a UUID key: its sixteen bytes, the most significant half first. */
  static long of(UUID key, long salt) {
    return fmix(
        ofLong(
            key.getLeastSignificantBits(),
            fmix(ofLong(key.getMostSignificantBits(), salt ^ FNV_OFFSET))));
  }

  /** Whether {@code hash} falls in the admitted share {@code threshold} of 2^32. */
  static boolean admits(long hash, long threshold) {
    return (hash >>> 32) < threshold;
  }

  /**
   * Folds a long's eight bytes into the state at once: the multiply by an odd constant (the golden
   * ratio's) spreads consecutive ids before the salt, and it is a bijection, as is the finaliser,
   * so distinct keys stay distinct. One multiply here and two in the finaliser, against the eight
   * dependent multiplies of FNV over eight bytes: a rollout asked for a numeric id stays near the
   * cost of the unsalted spread it replaces.
   */
  private static long ofLong(long value, long state) {
    return (value * GOLDEN) ^ state;
  }

  /**
   * FNV-1a over the UTF-8 encoding of {@code s}, encoded as it is read (a lone surrogate as '?').
   */
  private static long ofString(String s, long state) {
    long h = state;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        h = (h ^ c) * FNV_PRIME;
      } else if (c < 0x800) {
        h = (h ^ (0xC0 | (c >>> 6))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        h = (h ^ (0xF0 | (cp >>> 18))) * FNV_PRIME;
        h = (h ^ (0x80 | ((cp >>> 12) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | ((cp >>> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
      } else if (Character.isSurrogate(c)) {
        h = (h ^ '?') * FNV_PRIME;
      } else {
        h = (h ^ (0xE0 | (c >>> 12))) * FNV_PRIME;
        h = (h ^ (0x80 | ((c >>> 6) & 0x3F))) * FNV_PRIME;
        h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
      }
    }
    return h;
  }

  /** MurmurHash3's 64-bit finaliser. */
  private static long fmix(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51_afd7_ed55_8ccdL;
    h ^= h >>> 33;
    h *= 0xc4ce_b9fe_1a85_ec53L;
    h ^= h >>> 33;
    return h;
  }
}
