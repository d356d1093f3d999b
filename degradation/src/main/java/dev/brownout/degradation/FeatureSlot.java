package dev.brownout.degradation;

import java.time.Instant;

/**
 * A feature's place in its {@link Features}: what its definition declared and the settings standing
 * for it. {@link Feature} is the identity users hold and reads only the published effect;
 * everything that changes lives here, guarded by the lock of the {@link Features}.
 */
final class FeatureSlot {

  final Feature feature;
  final SettingStack settings;
  Priority priority;

  /** Whether {@link Features.Definition#register} gave the feature a definition (once at most). */
  boolean declared;

  TriggerStates triggers = TriggerStates.NONE;

  FeatureSlot(Feature feature, Priority priority, Instant created) {
    this.feature = feature;
    this.priority = priority;
    this.settings = new SettingStack(created);
  }
}
