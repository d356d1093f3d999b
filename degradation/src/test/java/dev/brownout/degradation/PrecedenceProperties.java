package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * For random interleavings of adding sources, their deliveries and withdrawals, settings through
 * the API, definitions, refreshes and the passing of time on a hand-driven clock, the setting in
 * force of every feature is the one a plain model of the precedence rule (the design note of {@link
 * SettingStack}) names, and no setting an operator made is ever lost: a feature is at its
 * definition's setting only while no operator's setting stands.
 */
class PrecedenceProperties {

  private static final List<String> NAMES = List.of("a", "b", "c");

  /** The switches drawn; several are equal so that equal deliveries happen often. */
  private static final List<Switch> SWITCHES =
      List.of(
          Switch.on(),
          Switch.off("r1"),
          Switch.off("r2").by("bob"),
          Switch.rollout(50),
          Switch.auto(),
          Switch.off("brief").lasting(Duration.ofSeconds(5)),
          Switch.off("longer").lasting(Duration.ofSeconds(20)));

  /** Stands for an OFF whose expiry passed a second before it is delivered. */
  private static final int LATE = SWITCHES.size();

  sealed interface Op permits AddSource, FileLine, FileRemove, StorePush, ApiSet, Define, Advance {}

  /** Adds the file-like source (0) or the store-like source (1). */
  record AddSource(int which) implements Op {}

  /** Changes a line of the file; it is delivered on the next refresh. */
  record FileLine(int name, int setting) implements Op {}

  /** Removes a line of the file; the withdrawal is delivered on the next refresh. */
  record FileRemove(int name) implements Op {}

  /** The store announces a change; delivered at once once the store is added. */
  record StorePush(int name, int setting) implements Op {}

  record ApiSet(int name, int setting) implements Op {}

  record Define(int name, int setting) implements Op {}

  /** Moves time on by {@code seconds} (0: just a refresh) and refreshes. */
  record Advance(int seconds) implements Op {}

  @Property(tries = 1000)
  void theSettingInForceFollowsThePrecedenceRuleAndNoSettingIsLost(@ForAll("ops") List<Op> ops) {
    try (TestRuntime runtime = new TestRuntime()) {
      Features features = runtime.features;
      FileLike file = new FileLike();
      StoreLike store = new StoreLike();
      Model model = new Model();
      Set<String> defined = new HashSet<>();
      model.now = features.now();
      for (Op op : ops) {
        Set<String> fellBack = new HashSet<>();
        if (op instanceof AddSource add) {
          if (add.which() == 0 && !model.fileAdded) {
            model.fileAdded = true;
            model.deliverFile(file.lines, fellBack);
            features.addSource(file);
          } else if (add.which() == 1 && !model.storeAdded) {
            model.storeAdded = true;
            store.pushed.forEach(
                (name, setting) -> model.deliver("store", name, setting, "store:peer", fellBack));
            features.addSource(store);
          }
        } else if (op instanceof FileLine line) {
          file.lines.put(NAMES.get(line.name()), draw(line.setting(), features));
        } else if (op instanceof FileRemove remove) {
          file.lines.remove(NAMES.get(remove.name()));
        } else if (op instanceof StorePush push) {
          String name = NAMES.get(push.name());
          Switch setting = draw(push.setting(), features);
          store.pushed.put(name, setting);
          if (model.storeAdded) {
            model.deliver("store", name, setting, "store:peer", fellBack);
            store.sink.setAll(Map.of(name, setting), Map.of(name, "store:peer"));
          }
        } else if (op instanceof ApiSet set) {
          Switch setting = draw(set.setting(), features);
          model.act(NAMES.get(set.name()), setting.fixedAt(features.now()));
          features.set(NAMES.get(set.name()), setting);
        } else if (op instanceof Define define) {
          String name = NAMES.get(define.name());
          if (defined.add(name)) {
            Switch initial = draw(define.setting(), features);
            model.define(name, initial.fixedAt(features.now()));
            features.define(name).initially(initial).register();
          }
        } else if (op instanceof Advance advance) {
          runtime.nanos.addAndGet(Duration.ofSeconds(advance.seconds()).toNanos());
          model.now = features.now();
          if (model.fileAdded) {
            model.deliverFile(file.lines, fellBack);
          }
          model.expire(fellBack);
          features.refresh();
        }
        check(features, model, store, fellBack);
      }
    }
  }

  private static Switch draw(int index, Features features) {
    return index == LATE
        ? Switch.off("late").until(features.now().minusSeconds(1))
        : SWITCHES.get(index);
  }

  private static void check(Features features, Model model, StoreLike store, Set<String> fellBack) {
    for (String name : NAMES) {
      FeatureState state = features.feature(name).state();
      Model.Setting expected = model.inForce(name);
      assertThat(state.setting()).as("%s's setting", name).isEqualTo(expected.value());
      assertThat(state.source()).as("%s's source", name).isEqualTo(expected.origin());
      boolean standing =
          live(model.fileDelivered.get(name), model)
              || (model.storeAdded && live(store.pushed.get(name), model))
              || model.operators.getOrDefault(name, List.of()).stream()
                  .anyMatch(s -> s.owner().equals("api"));
      if (standing) {
        assertThat(state.source())
            .as("%s has an operator's setting standing", name)
            .isNotEqualTo("default");
      }
      if (fellBack.contains(name)) {
        List<SwitchChange> own =
            features.history().stream().filter(c -> c.feature().equals(name)).toList();
        assertThat(own)
            .last()
            .extracting(SwitchChange::cause)
            .asString()
            .as("%s fell back", name)
            .contains("; back to ");
      }
    }
  }

  /**
   * Whether a source's entry is one that still stands: given, and not ended (for=… ends only once
   * fixed).
   */
  private static boolean live(Switch entry, Model model) {
    return entry != null
        && (entry.until() == null || entry.until().isAfter(model.now))
        && entry.lasting() == null;
  }

  /** A source that delivers its whole state when polled, as a file does. */
  static final class FileLike implements SwitchSource {
    final Map<String, Switch> lines = new LinkedHashMap<>();
    SwitchSink sink;

    @Override
    public String name() {
      return "file";
    }

    @Override
    public void start(SwitchSink target) {
      sink = target;
      poll();
    }

    @Override
    public void poll() {
      sink.replaceAll(Map.copyOf(lines));
    }
  }

  /** A source that pushes changes, as a shared store does. */
  static final class StoreLike implements SwitchSource {
    final Map<String, Switch> pushed = new LinkedHashMap<>();
    SwitchSink sink;

    @Override
    public String name() {
      return "store";
    }

    @Override
    public void start(SwitchSink target) {
      sink = target;
      Map<String, String> origins = new HashMap<>();
      pushed.keySet().forEach(name -> origins.put(name, "store:peer"));
      target.setAll(Map.copyOf(pushed), origins);
    }
  }

  /** The precedence rule, written out plainly. */
  @SuppressWarnings(
      "ReferenceEquality") // identity on purpose: an equal setting made again is another action
  static final class Model {
    record Setting(String owner, Switch raw, Switch value, String origin) {}

    /** In force while nothing else is: ON. */
    static final Setting NONE = new Setting("none", Switch.on(), Switch.on(), "default");

    final Map<String, List<Setting>> operators = new HashMap<>();
    final Map<String, Setting> initial = new HashMap<>();
    final Map<String, Switch> fileDelivered = new HashMap<>();
    java.time.Instant now = java.time.Instant.EPOCH;
    boolean fileAdded;
    boolean storeAdded;

    Setting inForce(String name) {
      List<Setting> standing = operators.getOrDefault(name, List.of());
      if (!standing.isEmpty()) {
        return standing.get(0);
      }
      return initial.getOrDefault(name, NONE);
    }

    boolean ended(Switch value) {
      return value.until() != null && !value.until().isAfter(now);
    }

    void define(String name, Switch value) {
      if (!ended(value)) {
        initial.put(name, new Setting("definition", value, value, "default"));
      }
    }

    /** An API action: replaces the API's last one and is in force. */
    void act(String name, Switch value) {
      List<Setting> standing = operators.computeIfAbsent(name, n -> new ArrayList<>());
      standing.removeIf(s -> s.owner().equals("api"));
      if (!ended(value)) {
        standing.add(0, new Setting("api", value, value, "api"));
      }
    }

    /**
     * A source's entry: a changed one is the latest action, unless it equals the setting in force.
     */
    void deliver(String owner, String name, Switch raw, String origin, Set<String> fellBack) {
      List<Setting> standing = operators.computeIfAbsent(name, n -> new ArrayList<>());
      Setting mine =
          standing.stream().filter(s -> s.owner().equals(owner)).findFirst().orElse(null);
      if (mine != null && mine.raw().equals(raw)) {
        return;
      }
      Setting before = inForce(name);
      standing.remove(mine);
      Switch value = raw.fixedAt(now);
      if (ended(value)) {
        if (inForce(name) != before) {
          fellBack.add(name);
        }
        return;
      }
      Setting made = new Setting(owner, raw, value, origin);
      if (!standing.isEmpty() && standing.get(0).value().equals(value)) {
        standing.add(1, made);
      } else {
        standing.removeIf(s -> s.owner().equals("api"));
        standing.add(0, made);
      }
    }

    void deliverFile(Map<String, Switch> lines, Set<String> fellBack) {
      for (Map.Entry<String, Switch> line : lines.entrySet()) {
        if (!line.getValue().equals(fileDelivered.get(line.getKey()))) {
          deliver("file", line.getKey(), line.getValue(), "file", fellBack);
        }
      }
      for (String gone : fileDelivered.keySet()) {
        if (!lines.containsKey(gone)) {
          Setting before = inForce(gone);
          operators.getOrDefault(gone, new ArrayList<>()).removeIf(s -> s.owner().equals("file"));
          if (inForce(gone) != before) {
            fellBack.add(gone);
          }
        }
      }
      fileDelivered.clear();
      fileDelivered.putAll(lines);
    }

    void expire(Set<String> fellBack) {
      for (String name : NAMES) {
        Setting before = inForce(name);
        operators.getOrDefault(name, new ArrayList<>()).removeIf(s -> ended(s.value()));
        initial.computeIfPresent(name, (n, s) -> ended(s.value()) ? null : s);
        if (inForce(name) != before) {
          fellBack.add(name);
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> name = Arbitraries.integers().between(0, NAMES.size() - 1);
    Arbitrary<Integer> setting = Arbitraries.integers().between(0, LATE);
    return Arbitraries.<Op>frequencyOf(
            Tuple.of(1, Arbitraries.integers().between(0, 1).map(AddSource::new)),
            Tuple.of(3, Combinators.combine(name, setting).as(FileLine::new)),
            Tuple.of(2, name.map(FileRemove::new)),
            Tuple.of(3, Combinators.combine(name, setting).as(StorePush::new)),
            Tuple.of(3, Combinators.combine(name, setting).as(ApiSet::new)),
            Tuple.of(2, Combinators.combine(name, setting).as(Define::new)),
            Tuple.of(3, Arbitraries.of(0, 1, 3, 6, 25).map(Advance::new)))
        .list()
        .ofMaxSize(30);
  }
}
