package dev.brownout.core.compat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The exception hierarchy the MicroProfile Fault Tolerance TCK uses to check {@code
 * retryOn/abortOn} and {@code applyOn/skipOn}, restated: {@code Leaf <: Middle <: Root <:
 * Exception}, {@code LeafKin <: Leaf}, {@code MiddleKin <: Middle} (not {@code <: Leaf}), {@code
 * RootKin <: Root} (not {@code <: Middle}).
 *
 * <p>Retry and fallback decide alike: a policy with a list of types it acts on ({@code retryOn},
 * {@code applyOn}) and a list that overrides it ({@code abortOn}, {@code skipOn}) acts on a failure
 * the first list covers and the second does not. {@link #scenarios} states, for three such pairs of
 * lists, which failures it acts on.
 */
final class Hierarchy {

  private Hierarchy() {}

  /** A pair of lists: the types a policy acts on, and the types that override them. */
  @SuppressWarnings("ImmutableEnumChecker") // the fields hold List.of lists, which are immutable
  enum Lists {
    /** Act on Root or Leaf, overridden on Middle. */
    FIRST(List.of(Root.class, Leaf.class), List.of(Middle.class)),
    /** Act on Exception or Middle, overridden on Root or Leaf. */
    SECOND(List.of(Exception.class, Middle.class), List.of(Root.class, Leaf.class)),
    /** Act on Middle or Leaf, overridden on Root. */
    THIRD(List.of(Middle.class, Leaf.class), List.of(Root.class));

    private final List<Class<? extends Throwable>> on;
    private final List<Class<? extends Throwable>> overriddenOn;

    Lists(List<Class<? extends Throwable>> on, List<Class<? extends Throwable>> overriddenOn) {
      this.on = on;
      this.overriddenOn = overriddenOn;
    }

    Class<? extends Throwable>[] on() {
      return array(on);
    }

    Class<? extends Throwable>[] overriddenOn() {
      return array(overriddenOn);
    }

    @SuppressWarnings({
      "unchecked",
      "rawtypes"
    }) // an array of classes of throwables, built from such a list
    private static Class<? extends Throwable>[] array(List<Class<? extends Throwable>> types) {
      return types.toArray(new Class[0]);
    }
  }

  /** Throws a checked throwable from a lambda whose type does not declare it. */
  @SuppressWarnings("unchecked")
  static <X extends Throwable> RuntimeException sneaky(Throwable failure) throws X {
    throw (X) failure;
  }

  /** The lists, a failure, and whether the policy acts on it. */
  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(Lists.FIRST, new Exception(), false),
        Arguments.of(Lists.FIRST, new Root(), true),
        Arguments.of(Lists.FIRST, new Middle(), false),
        Arguments.of(Lists.FIRST, new Leaf(), false),
        Arguments.of(Lists.FIRST, new LeafKin(), false),
        Arguments.of(Lists.FIRST, new MiddleKin(), false),
        Arguments.of(Lists.FIRST, new RootKin(), true),
        Arguments.of(Lists.FIRST, new RuntimeException(), false),
        Arguments.of(Lists.FIRST, new Error(), false),
        Arguments.of(Lists.SECOND, new Exception(), true),
        Arguments.of(Lists.SECOND, new Root(), false),
        Arguments.of(Lists.SECOND, new Middle(), false),
        Arguments.of(Lists.SECOND, new Leaf(), false),
        Arguments.of(Lists.SECOND, new LeafKin(), false),
        Arguments.of(Lists.SECOND, new MiddleKin(), false),
        Arguments.of(Lists.SECOND, new RootKin(), false),
        Arguments.of(Lists.SECOND, new RuntimeException(), true),
        Arguments.of(Lists.SECOND, new Error(), false),
        Arguments.of(Lists.THIRD, new Exception(), false),
        Arguments.of(Lists.THIRD, new Root(), false),
        Arguments.of(Lists.THIRD, new Middle(), false),
        Arguments.of(Lists.THIRD, new Leaf(), false),
        Arguments.of(Lists.THIRD, new LeafKin(), false),
        Arguments.of(Lists.THIRD, new MiddleKin(), false),
        Arguments.of(Lists.THIRD, new RootKin(), false),
        Arguments.of(Lists.THIRD, new RuntimeException(), false),
        Arguments.of(Lists.THIRD, new Error(), false));
  }

  static class Root extends Exception {
    private static final long serialVersionUID = 1L;
  }

  static class Middle extends Root {
    private static final long serialVersionUID = 1L;
  }

  static class Leaf extends Middle {
    private static final long serialVersionUID = 1L;
  }

  static final class LeafKin extends Leaf {
    private static final long serialVersionUID = 1L;
  }

  static final class MiddleKin extends Middle {
    private static final long serialVersionUID = 1L;
  }

  static final class RootKin extends Root {
    private static final long serialVersionUID = 1L;
  }
}
