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
 * <p>A string's bytes are folded eight at a time into a state seeded with the salt (see {@code
 * ofString}), a number's in whole (see {@code ofLong}); then MurmurHash3's 64-bit finaliser, which
 * spreads similar inputs (consecutive ids, names that differ in one letter) over all 64 bits. A
 * string is encoded as it is read, char by char: hashing allocates nothing and reads no clock.
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
   * The UTF-8 encoding of {@code s} (a lone surrogate as '?'), encoded as it is read and folded
   * eight bytes at a time: the bytes fill a word, least significant first, and each full word is
   * folded in by {@link #fold}. The last, partial word is folded with the byte count, so keys that
   * differ only by trailing zero bytes differ. Eight bytes cost one fold (two multiplies) where
   * FNV-1a took eight dependent multiplies: "user-42" costs about what a numeric id does.
   */
  private static long ofString(String s, long state) {
    long h = state;
    long word = 0;
    int shift = 0;
    long bytes = 0;
    int length = s.length();
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c < 0x80) { // the common case, one byte: kept apart so that the loop stays small
        word |= (long) c << shift;
        shift += 8;
        bytes++;
        if (shift == 64) {
          h = fold(h, word);
          word = 0;
          shift = 0;
        }
        continue;
      }
      int encoded;
      int count;
      if (c < 0x800) {
        encoded = (0xC0 | (c >>> 6)) | (0x80 | (c & 0x3F)) << 8;
        count = 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < length
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        encoded =
            (0xF0 | (cp >>> 18))
                | (0x80 | ((cp >>> 12) & 0x3F)) << 8
                | (0x80 | ((cp >>> 6) & 0x3F)) << 16
                | (0x80 | (cp & 0x3F)) << 24;
        count = 4;
      } else if (Character.isSurrogate(c)) {
        encoded = '?';
        count = 1;
      } else {
        encoded =
            (0xE0 | (c >>> 12)) | (0x80 | ((c >>> 6) & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16;
        count = 3;
      }
      for (int b = 0; b < count; b++, encoded >>>= 8) {
        word |= (long) (encoded & 0xFF) << shift;
        shift += 8;
        if (shift == 64) {
          h = fold(h, word);
          word = 0;
          shift = 0;
        }
      }
      bytes += count;
    }
    return fold(h, word ^ (bytes << 56) ^ bytes);
  }

  /**
   * Folds one word into the state: a multiply by an odd constant and a rotation each side of the
   * exclusive or (the shape of xxHash's round), so every bit of the word reaches the high bits that
   * decide a share before the finaliser mixes once more.
   */
  private static long fold(long state, long word) {
    return Long.rotateLeft(state ^ Long.rotateLeft(word * GOLDEN, 31) * FNV_PRIME, 27) * GOLDEN;
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
