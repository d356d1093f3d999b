package dev.brownout.migration;

import dev.brownout.core.CallCounts;
import dev.brownout.core.Guard;
import dev.brownout.degradation.Feature;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * One shift's meters, read when a registry publishes: the call path counts nothing of its own (the
 * arms' guards already count), a check adds one decision.
 *
 * <ul>
 *   <li>{@code brownout.shift.calls} (counter; tags {@code shift}, {@code arm} = {@code old} or
 *       {@code new}, {@code outcome} = {@code success} or {@code error})
 *   <li>{@code brownout.shift.decisions} (counter; tags {@code shift}, {@code kind})
 *   <li>{@code brownout.shift.share} (gauge; tag {@code shift}): percent of keys on the new path
 *   <li>{@code brownout.shift.fallbacks} (counter; tag {@code shift}): new-path failures served by
 *       the old path
 * </ul>
 */
final class ShiftMeters implements MeterBinder {

  private final String shift;
  private final Guard oldArm;
  private final Guard newArm;
  private final Feature feature;
  private final LongAdder fellBack;
  private final Map<ShiftDecision.Kind, LongAdder> decisions =
      new EnumMap<>(ShiftDecision.Kind.class);

  ShiftMeters(String shift, Guard oldArm, Guard newArm, Feature feature, LongAdder fellBack) {
    this.shift = shift;
    this.oldArm = oldArm;
    this.newArm = newArm;
    this.feature = feature;
    this.fellBack = fellBack;
    for (ShiftDecision.Kind kind : ShiftDecision.Kind.values()) {
      decisions.put(kind, new LongAdder());
    }
  }

  void decided(ShiftDecision.Kind kind) {
    decisions.get(kind).increment();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    calls(registry, "old", oldArm, "success", CallCounts::success);
    calls(registry, "old", oldArm, "error", Shift::errors);
    calls(registry, "new", newArm, "success", CallCounts::success);
    calls(registry, "new", newArm, "error", Shift::errors);
    for (ShiftDecision.Kind kind : ShiftDecision.Kind.values()) {
      FunctionCounter.builder("brownout.shift.decisions", decisions.get(kind), LongAdder::sum)
          .description("A shift's decisions at its checks, by kind")
          .tags("shift", shift, "kind", kind.name())
          .register(registry);
    }
    Gauge.builder("brownout.shift.share", feature, f -> f.state().enabledPercent())
        .description("The percent of keys a shift routes to its new path")
        .tags("shift", shift)
        .register(registry);
    FunctionCounter.builder("brownout.shift.fallbacks", fellBack, LongAdder::sum)
        .description("Calls whose new path failed and the old path served")
        .tags("shift", shift)
        .register(registry);
  }

  private void calls(
      MeterRegistry registry,
      String arm,
      Guard guard,
      String outcome,
      ToLongFunction<CallCounts> count) {
    FunctionCounter.builder("brownout.shift.calls", guard, g -> count.applyAsLong(g.counts()))
        .description("A shift's calls, by path and outcome")
        .tags("shift", shift, "arm", arm, "outcome", outcome)
        .register(registry);
  }
}
