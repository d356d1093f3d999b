package dev.brownout.core;

/**
 * Picks a stripe for the current thread, so that threads updating one counter mostly write to
 * different cache lines.
 *
 * <p>The thread id is mixed with the golden-ratio multiplier: consecutive ids (how pools and JMH
 * number their threads) land far apart, and the result is stable per thread, so a thread keeps
 * hitting the line it already owns.
 */
final class Stripes {

  /** A power of two, at least twice the cores, at most 16. */
  static final int COUNT =
      Math.min(
          16,
          Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1))
              << 1);

  /**
   * Longs per cache line pair: stripes 128 bytes apart do not share a line or a prefetched pair.
   */
  static final int LONG_PAD = 16;

  private Stripes() {}

  /** The current thread's stripe, in {@code [0, COUNT)}. */
  @SuppressWarnings("deprecation") // Thread.getId: threadId() exists only from JDK 19 on.
  static int current() {
    int id = (int) Thread.currentThread().getId();
    return (id * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(COUNT)) & (COUNT - 1);
  }
}
