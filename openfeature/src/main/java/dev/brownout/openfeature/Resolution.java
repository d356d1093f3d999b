package dev.brownout.openfeature;

import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Switch;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Reason;

/**
 * What an evaluation of one feature says besides its value, for one published state of the feature:
 * the OpenFeature reason and the flag metadata. Made once per state and shared by every evaluation
 * until the feature changes, so that the boolean path allocates only the SDK's evaluation object.
 *
 * <p>The reason says who decided: {@code STATIC} when the feature's own switch does (ON, or OFF, or
 * a rollout of nobody), {@code SPLIT} when the answer depends on the key (a rollout, the feature's
 * or a parent's), {@code DISABLED} when something other than its own switch turned it off (an AUTO
 * trigger, the brownout level, a parent); the metadata's {@code cause} says which.
 */
final class Resolution {

  /** The metadata keys, as documented in docs/openfeature.md. */
  static final String CAUSE = "cause";

  static final String SWITCH = "switch";
  static final String SWITCH_REASON = "switchReason";
  static final String SOURCE = "source";
  static final String EFFECTIVE = "effective";
  static final String ENABLED_PERCENT = "enabledPercent";
  static final String PRIORITY = "priority";

  private static final long FULL = 1L << 32;

  final FeatureState state;
  final String reason;
  final ImmutableMetadata metadata;

  private Resolution(FeatureState state) {
    this.state = state;
    this.reason = reasonOf(state).toString();
    ImmutableMetadata.ImmutableMetadataBuilder builder =
        ImmutableMetadata.builder()
            .addString(SWITCH, state.setting().toString())
            .addString(SOURCE, state.source())
            .addString(EFFECTIVE, state.effective())
            .addDouble(ENABLED_PERCENT, state.enabledPercent())
            .addString(PRIORITY, state.priority().name());
    if (state.cause() != null) {
      builder.addString(CAUSE, state.cause());
    }
    if (state.setting().reason() != null) {
      builder.addString(SWITCH_REASON, state.setting().reason());
    }
    this.metadata = builder.build();
  }

  static Resolution of(FeatureState state) {
    return new Resolution(state);
  }

  static Reason reasonOf(FeatureState state) {
    String effective = state.effective();
    if (effective.equals("ON")) {
      return Reason.STATIC;
    }
    if (!effective.equals("OFF")) {
      return Reason.SPLIT;
    }
    Switch own = state.setting();
    boolean offByItsSwitch =
        own.kind() == Switch.Kind.OFF
            || (own.kind() == Switch.Kind.ROLLOUT
                && Math.round(own.percent() / 100.0 * FULL) == 0L);
    return offByItsSwitch ? Reason.STATIC : Reason.DISABLED;
  }
}
