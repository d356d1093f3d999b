package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * For random trees of features and random sequences of switch changes, level changes and the
 * passing of time, {@code isEnabled} agrees with a reference model written from the rules: a
 * feature is on for a key when it and every ancestor are on for that key; OFF ends at its expiry; a
 * ROLLOUT admits a key whose spread hash is below its share; the level sheds priorities from P4 up
 * and never P0.
 */
class FeatureSemanticsProperties {

  /** Parents always come before their children. */
  private static final List<String> NAMES =
      List.of("a", "a.b", "a.b.c", "a.d", "e", "e.f", "e.f.g");

  private final List<TestRuntime> opened = new ArrayList<>();

  @AfterProperty
  void closeAll() {
    opened.forEach(TestRuntime::close);
    opened.clear();
  }

  sealed interface Op permits SetOp, LevelOp, AdvanceOp {}

  /** Sets feature {@code name}: kind 0 ON, 1 OFF, 2 ROLLOUT, 3 AUTO; an OFF may expire. */
  record SetOp(int name, int kind, int hundredths, int expirySeconds) implements Op {}

  record LevelOp(int level) implements Op {}

  record AdvanceOp(int seconds) implements Op {}

  @Property(tries = 300)
  void isEnabledFollowsTheReferenceSemantics(
      @ForAll("priorities") List<Priority> drawn,
      @ForAll("ops") List<Op> ops,
      @ForAll("keys") List<String> keys) {
    TestRuntime runtime = new TestRuntime();
    opened.add(runtime);
    Features features = runtime.features;
    Model model = new Model();
    for (int i = 0; i < NAMES.size(); i++) {
      String name = NAMES.get(i);
      Priority priority = drawn.get(i);
      String parent = parent(name);
      if (parent != null && model.priority.get(parent).compareTo(priority) > 0) {
        priority = model.priority.get(parent);
      }
      model.priority.put(name, priority);
      features.define(name).priority(priority).register();
    }
    check(features, model, keys);
    for (Op op : ops) {
      if (op instanceof SetOp set) {
        String name = NAMES.get(set.name());
        Switch setting =
            switch (set.kind()) {
              case 1 ->
                  set.expirySeconds() > 0
                      ? Switch.off("r").lasting(Duration.ofSeconds(set.expirySeconds()))
                      : Switch.off("r");
              case 2 -> Switch.rollout(set.hundredths() / 100.0);
              case 3 -> Switch.auto();
              default -> Switch.on();
            };
        features.set(name, setting);
        model.set(
            name,
            set.kind(),
            set.hundredths(),
            set.kind() == 1 && set.expirySeconds() > 0
                ? model.now + set.expirySeconds()
                : Long.MAX_VALUE);
      } else if (op instanceof LevelOp level) {
        features.setLevel(level.level(), "test");
        model.level = level.level();
      } else if (op instanceof AdvanceOp advance) {
        runtime.advance(Duration.ofSeconds(advance.seconds()));
        model.now += advance.seconds();
      }
      check(features, model, keys);
    }
  }

  private static void check(Features features, Model model, List<String> keys) {
    for (String name : NAMES) {
      Feature feature = features.feature(name);
      assertThat(feature.isEnabled())
          .as("%s without a key", name)
          .isEqualTo(model.enabled(name, null));
      for (String key : keys) {
        assertThat(feature.isEnabled(key))
            .as("%s for %s", name, key)
            .isEqualTo(model.enabled(name, key));
      }
      assertThat(feature.state().isDegraded()).isEqualTo(!model.enabled(name, null));
    }
  }

  private static String parent(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : name.substring(0, dot);
  }

  /** The rules, written out plainly, one feature at a time. */
  private static final class Model {
    final Map<String, Priority> priority = new HashMap<>();
    final Map<String, int[]> setting = new HashMap<>();
    final Map<String, Long> expiry = new HashMap<>();
    long now;
    int level;

    void set(String name, int kind, int hundredths, long expiresAt) {
      setting.put(name, new int[] {kind, hundredths});
      expiry.put(name, expiresAt);
    }

    boolean enabled(String name, String key) {
      for (String n = name; n != null; n = parent(n)) {
        if (!ownAdmits(n, key)) {
          return false;
        }
      }
      return true;
    }

    private static String root(String name) {
      int dot = name.indexOf('.');
      return dot < 0 ? name : name.substring(0, dot);
    }

    private boolean ownAdmits(String name, String key) {
      Priority p = priority.get(name);
      if (p != Priority.P0 && p.number() + level > Priority.MAX_LEVEL) {
        return false;
      }
      int[] s = setting.getOrDefault(name, new int[] {0, 0});
      boolean expired = now >= expiry.getOrDefault(name, Long.MAX_VALUE);
      return switch (s[0]) {
        case 1 -> expired;
        case 2 -> {
          if (s[1] == 10_000) {
            yield true;
          }
          long share = Math.round(s[1] / 10_000.0 * (1L << 32));
          yield key != null && KeyHash.admits(KeyHash.of(key, KeyHash.salt(root(name), 0)), share);
        }
        default -> true;
      };
    }
  }

  @Provide
  Arbitrary<List<Priority>> priorities() {
    return Arbitraries.of(Priority.class).list().ofSize(NAMES.size());
  }

  @Provide
  Arbitrary<List<String>> keys() {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .ofMinLength(1)
        .ofMaxLength(12)
        .list()
        .ofMinSize(1)
        .ofMaxSize(30);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> set =
        Combinators.combine(
                Arbitraries.integers().between(0, NAMES.size() - 1),
                Arbitraries.integers().between(0, 3),
                Arbitraries.oneOf(
                    Arbitraries.integers().between(0, 10_000), Arbitraries.of(0, 5_000, 10_000)),
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 120)))
            .as(SetOp::new);
    Arbitrary<Op> level = Arbitraries.integers().between(0, Priority.MAX_LEVEL).map(LevelOp::new);
    Arbitrary<Op> advance = Arbitraries.integers().between(1, 90).map(AdvanceOp::new);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, set),
            net.jqwik.api.Tuple.of(1, level),
            net.jqwik.api.Tuple.of(3, advance))
        .list()
        .ofMaxSize(40);
  }
}
