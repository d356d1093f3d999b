package dev.brownout.testing;

import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SwitchSource} that a test drives: it stands for the file, config service or shared store
 * through which operators set switches, so a test can flip a feature "from outside" and see the
 * code under test degrade, and can see what the code set through {@link Features#set} being offered
 * to the store.
 *
 * <pre>{@code
 * ManualSwitchSource ops = new ManualSwitchSource("ops");
 * features.addSource(ops);
 * ops.set("feed.recommendations", Switch.off("incident 42"));
 * assertThat(features.feature("feed.recommendations").isEnabled()).isFalse();
 * ops.remove("feed.recommendations"); // the feature falls back to its next setting
 * }</pre>
 *
 * <p>What the source holds before {@link Features#addSource} is its state at start. Thread-safe;
 * deliveries are made on the calling thread, as a source that is told of changes makes them.
 */
// "exports": the degradation module is optional for this one (static, not transitive); a test that
// uses this class reads that module already.
@SuppressWarnings("exports")
public final class ManualSwitchSource implements SwitchSource {

  /**
   * A change made through {@link Features#set} and offered to this source, as a shared store sees
   * it.
   */
  public record Offer(String feature, Switch setting) {}

  private final String name;
  private final Map<String, Switch> state = new LinkedHashMap<>();
  private final List<Offer> offered = new CopyOnWriteArrayList<>();
  private SwitchSink sink;
  private volatile boolean refusingWrites;

  /** A source recorded under {@code name} in the audit, logs and metrics. */
  public ManualSwitchSource(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void start(SwitchSink sink) {
    this.sink = sink;
    deliver();
  }

  /** Sets {@code feature}'s switch at the source, delivered now if the source is started. */
  public synchronized void set(String feature, Switch setting) {
    Objects.requireNonNull(feature, "feature");
    Objects.requireNonNull(setting, "setting");
    state.put(feature, setting);
    deliver();
  }

  /**
   * Replaces everything the source sets; a feature it no longer names falls back to its next
   * setting.
   */
  public synchronized void replaceAll(Map<String, Switch> switches) {
    Map<String, Switch> next = Map.copyOf(switches);
    state.clear();
    state.putAll(next);
    deliver();
  }

  /**
   * Stops setting {@code feature}: it falls back to its next setting (the code's default, or
   * another source).
   */
  public synchronized void remove(String feature) {
    state.remove(feature);
    deliver();
  }

  /**
   * Every change is delivered as the source's whole state, as a file or a config service is read:
   * Features sets only the features whose switch differs, and lets fall back those no longer named
   * (it compares with the last whole delivery, so a one-by-one {@link SwitchSink#set} would not be
   * taken back by a later removal).
   */
  private void deliver() {
    if (sink != null) {
      sink.replaceAll(Map.copyOf(state));
    }
  }

  /**
   * Reports that the source could not be read, as a store that went away does: the last good state
   * stays in force, and the failure is logged and counted under the source's name.
   *
   * @throws IllegalStateException if the source has not been started yet
   */
  public synchronized void fail(String problem, @Nullable Throwable cause) {
    if (sink == null) {
      throw new IllegalStateException(
          "source '" + name + "' fails only once started: add it to Features first");
    }
    sink.failed(problem, cause);
  }

  /**
   * Makes every later {@link #write} throw (or, with {@code false}, succeed again), as a store that
   * cannot be reached does: the change stays local and is counted as a failure of this source.
   */
  public void refuseWrites(boolean refuse) {
    refusingWrites = refuse;
  }

  /** Records a change made through {@link Features#set}, or throws while writes are refused. */
  @Override
  public void write(String feature, Switch setting) {
    if (refusingWrites) {
      throw new IllegalStateException("source '" + name + "' refuses writes");
    }
    offered.add(new Offer(feature, setting));
  }

  /** The changes offered to this source so far, oldest first. */
  public List<Offer> offered() {
    return List.copyOf(offered);
  }
}
