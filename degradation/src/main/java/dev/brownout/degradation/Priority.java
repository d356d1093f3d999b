package dev.brownout.degradation;

/**
 * How much a feature matters, from {@link #P0} (the core job: never shed by the brownout level) to
 * {@link #P4} (cosmetic: the first to go). The brownout level sheds the least important features
 * first, so that a service under pressure keeps what its users came for.
 */
public enum Priority {
  /**
   * The core: never turned off by the brownout level (an operator can still switch it off by hand).
   */
  P0(0),
  /** Important; shed only at level 4. */
  P1(1),
  /** Useful; shed from level 3. The priority of a feature declared without one. */
  P2(2),
  /** Nice to have; shed from level 2. */
  P3(3),
  /** Cosmetic; shed from level 1. */
  P4(4);

  /** The highest brownout level: every feature but the P0 ones is off. */
  public static final int MAX_LEVEL = 4;

  private final int number;

  Priority(int number) {
    this.number = number;
  }

  /** The number in the name: 0 for P0 (the core) to 4 for P4 (cosmetic). */
  public int number() {
    return number;
  }

  /** Whether brownout level {@code level} (0 = nothing shed … 4) turns this priority off. */
  public boolean isShedAt(int level) {
    return number != 0 && number > MAX_LEVEL - level;
  }
}
