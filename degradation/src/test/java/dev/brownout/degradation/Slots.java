package dev.brownout.degradation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Feature slots built by hand, for the tests of the parts that read them. */
final class Slots {

  final List<FeatureSlot> all = new ArrayList<>();

  /** Adds feature {@code name} (its parent added before it) with {@code priority}, ON. */
  FeatureSlot add(String name, Priority priority) {
    FeatureName parsed = FeatureName.of(name);
    Feature parent = parsed.parent().map(p -> find(p.toString()).feature).orElse(null);
    FeatureSlot slot =
        new FeatureSlot(new Feature(null, all.size(), parsed, parent), priority, Instant.EPOCH);
    all.add(slot);
    return slot;
  }

  FeatureSlot find(String name) {
    return all.stream().filter(s -> s.feature.name().equals(name)).findFirst().orElseThrow();
  }

  /** Gives {@code slot} an operator's {@code setting}, in force from now. */
  static SettingStack.Setting set(FeatureSlot slot, Switch setting) {
    SettingStack.Setting made =
        new SettingStack.Setting(
            SettingStack.Maker.API, null, setting, setting, "api", Instant.EPOCH, null, 0L);
    slot.settings.act(made, 0L);
    return made;
  }
}
