package dev.brownout.migration;

import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchSink;
import dev.brownout.degradation.SwitchSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A switch store shared by the instances of a test, in memory: what one instance sets reaches the
 * others at once, and an instance that starts later reads what is stored (as a Redis store does).
 */
final class SharedSwitches {

  private final Map<String, Switch> stored = new ConcurrentHashMap<>();
  private final List<SwitchSink> instances = new CopyOnWriteArrayList<>();

  /** The source one instance's {@code Features} reads the store through. */
  SwitchSource source() {
    return new SwitchSource() {
      private SwitchSink mine;

      @Override
      public String name() {
        return "shared";
      }

      @Override
      public void start(SwitchSink sink) {
        mine = sink;
        sink.replaceAll(Map.copyOf(stored));
        instances.add(sink);
      }

      // Identity on purpose: an instance's own sink is not told of its own change.
      @SuppressWarnings("ReferenceEquality")
      @Override
      public void write(String feature, Switch setting) {
        stored.put(feature, setting);
        for (SwitchSink other : instances) {
          if (other != mine) {
            other.set(feature, setting);
          }
        }
      }
    };
  }
}
