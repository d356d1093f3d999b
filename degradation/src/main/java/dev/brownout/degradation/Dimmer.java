package dev.brownout.degradation;

/**
 * The brownout level of one {@link Features} and the steering of its {@link LevelController}: one
 * level up after the load has stayed over the target for {@code raiseAfter}, one down after it has
 * stayed under {@code lowerBelow} for {@code lowerAfter}, and the clocks of both reset whenever the
 * load is between the two. Guarded by the lock of the {@link Features}, which records and publishes
 * each step.
 */
final class Dimmer {

  private static final long NEVER = Long.MIN_VALUE;

  /** A step of the level: to {@code level}, for {@code reason}. */
  record Step(int level, String reason) {}

  private int level;
  private LevelController controller;
  private long overSince = NEVER;
  private long underSince = NEVER;

  int level() {
    return level;
  }

  /** Sets the level by hand; a running controller goes on from here. */
  void set(int newLevel) {
    level = newLevel;
  }

  LevelController controller() {
    return controller;
  }

  /** Lets {@code levelController} steer from now on, with fresh clocks; null stops steering. */
  void control(LevelController levelController) {
    controller = levelController;
    overSince = NEVER;
    underSince = NEVER;
  }

  /**
   * One step of {@code c} given {@code load} at {@code now}: the new level, already set, or null
   * when the level stays.
   */
  Step steer(LevelController c, double load, long now) {
    if (load > c.target) {
      underSince = NEVER;
      if (overSince == NEVER) {
        overSince = now;
      }
      if (now - overSince >= c.raiseAfterNanos && level < c.maxLevel) {
        overSince = now;
        level++;
        return new Step(level, c.signal + " = " + load + ", over the target " + c.target);
      }
    } else if (load < c.lowerBelow) {
      overSince = NEVER;
      if (underSince == NEVER) {
        underSince = now;
      } else if (now - underSince >= c.lowerAfterNanos && level > 0) {
        underSince = now;
        level--;
        return new Step(level, c.signal + " = " + load + ", under " + c.lowerBelow);
      }
    } else {
      overSince = NEVER;
      underSince = NEVER;
    }
    return null;
  }

  /**
   * {@code signal}'s reading; one that throws is logged and reads NaN, which moves no level and
   * restarts both waits.
   */
  static double read(LoadSignal signal) {
    return TriggerStates.readLogged("load signal", signal, signal::read, "");
  }
}
