package dev.brownout.openfeature;

import dev.brownout.degradation.Feature;
import dev.brownout.degradation.FeatureState;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.degradation.SwitchListener;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An OpenFeature provider whose boolean flags are the features of one {@link Features}: a flag key
 * is a feature's name, the evaluation context's targeting key is the rollout key, and the value is
 * what {@link Feature#isEnabled(Object)} answers for it.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(BrownoutProvider.of(features));
 * Client client = OpenFeatureAPI.getInstance().getClient();
 * boolean show = client.getBooleanValue("feed.recommendations", false, new ImmutableContext(userId));
 * }</pre>
 *
 * <p>The reason is {@code STATIC} when the feature's own switch decides, {@code SPLIT} under a
 * rollout, {@code DISABLED} when a trigger, the brownout level or a parent turned it off; the
 * variant is {@code on} or {@code off}; the flag metadata holds the cause, the switch and its
 * reason. A key that names no feature is {@code FLAG_NOT_FOUND} (the provider never creates a
 * feature); a feature asked for as another type is {@code TYPE_MISMATCH}. Each change of a switch
 * is told to the SDK as {@code PROVIDER_CONFIGURATION_CHANGED} with the flags it changed.
 */
public final class BrownoutProvider extends EventProvider {

  /*
   * The boolean path
   *
   * An evaluation reads the feature (a map read, no lock), its published state and its answer for
   * the key (volatile reads), and returns a new ProviderEvaluation: the one object the SDK's
   * contract forces, as the SDK may change it. The reason and the metadata depend only on the
   * state, so they are made once per state (Resolution) and kept per feature; a state is a new
   * object on every change the features publish, so a kept Resolution is reused exactly while the
   * feature has not changed. The state is read again after the answer and the read repeated if it
   * moved, so that value, reason and metadata all come from one published change.
   *
   * Events
   *
   * The features tell a SwitchListener each change after publishing it, under their lock; the
   * listener turns it into one event and hands it to the SDK, whose emit only queues it on the
   * provider's own executor, so the change never waits for the SDK's event handlers.
   */

  /** The provider's name in the SDK's metadata. */
  public static final String NAME = "brownout";

  private static final String ON = "on";
  private static final String OFF = "off";

  private final Features features;
  private final ConcurrentHashMap<String, Resolution> resolutions = new ConcurrentHashMap<>();
  private final SwitchListener listener = this::changed;
  private final AtomicBoolean listening = new AtomicBoolean();
  private volatile boolean shutDown;

  private BrownoutProvider(Features features) {
    this.features = features;
  }

  /** A provider over {@code features}; register it with the SDK, which initializes it. */
  public static BrownoutProvider of(Features features) {
    if (features == null) {
      throw new IllegalArgumentException("openfeature.features must not be null, but was null");
    }
    return new BrownoutProvider(features);
  }

  @Override
  public Metadata getMetadata() {
    return () -> NAME;
  }

  /**
   * Starts telling the SDK of switch changes; the SDK then marks the provider READY. A provider
   * that was shut down cannot start again (its events have stopped): make a new one.
   */
  @Override
  public void initialize(EvaluationContext evaluationContext) {
    if (shutDown) {
      throw new IllegalStateException(
          "this BrownoutProvider was shut down and cannot be initialized again;"
              + " register a new one, BrownoutProvider.of(features)");
    }
    if (listening.compareAndSet(false, true)) {
      features.addListener(listener);
    }
  }

  /** Stops hearing the features' changes, then stops the provider's events. */
  @Override
  public void shutdown() {
    shutDown = true;
    if (listening.compareAndSet(true, false)) {
      features.removeListener(listener);
    }
    super.shutdown();
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // identity: has the feature published a new state since?
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, @Nullable EvaluationContext ctx) {
    Feature feature = find(key);
    if (feature == null) {
      return notFound(key, defaultValue);
    }
    String targetingKey = ctx == null ? null : ctx.getTargetingKey();
    FeatureState state;
    boolean enabled;
    do {
      state = feature.state();
      enabled = feature.isEnabled(targetingKey);
    } while (feature.state() != state);
    Resolution resolution = resolutions.get(key);
    if (resolution == null || resolution.state != state) {
      resolution = Resolution.of(state);
      resolutions.put(key, resolution);
    }
    return new ProviderEvaluation<>(
        enabled, enabled ? ON : OFF, resolution.reason, null, null, resolution.metadata);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, @Nullable EvaluationContext ctx) {
    return notBoolean(key, defaultValue, "String");
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, @Nullable EvaluationContext ctx) {
    return notBoolean(key, defaultValue, "Integer");
  }

  @Override
  public ProviderEvaluation<Long> getLongEvaluation(
      String key, Long defaultValue, @Nullable EvaluationContext ctx) {
    return notBoolean(key, defaultValue, "Long");
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, @Nullable EvaluationContext ctx) {
    return notBoolean(key, defaultValue, "Double");
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, @Nullable EvaluationContext ctx) {
    return notBoolean(key, defaultValue, "Object");
  }

  private @Nullable Feature find(@Nullable String key) {
    return key == null ? null : features.find(key);
  }

  private <T> ProviderEvaluation<T> notBoolean(String key, T defaultValue, String type) {
    if (find(key) == null) {
      return notFound(key, defaultValue);
    }
    return error(
        defaultValue,
        ErrorCode.TYPE_MISMATCH,
        "feature '" + key + "' is a boolean flag, asked for as " + type);
  }

  private static <T> ProviderEvaluation<T> notFound(@Nullable String key, T defaultValue) {
    return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, "no feature is named '" + key + "'");
  }

  private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.toString())
        .errorCode(code)
        .errorMessage(message)
        .build();
  }

  /** One change of the features: one event naming the flags whose effect or setting it changed. */
  private void changed(List<SwitchChange> changes) {
    List<String> flags = new ArrayList<>(changes.size());
    StringBuilder message = new StringBuilder();
    for (SwitchChange change : changes) {
      if (change.feature().equals(Features.LEVEL)) {
        continue;
      }
      if (!flags.contains(change.feature())) {
        flags.add(change.feature());
      }
      if (message.length() > 0) {
        message.append("; ");
      }
      message
          .append(change.feature())
          .append(' ')
          .append(change.from())
          .append(" -> ")
          .append(change.to())
          .append(" (")
          .append(change.cause())
          .append(')');
    }
    if (flags.isEmpty()) {
      return;
    }
    var unused =
        emitProviderConfigurationChanged(
            ProviderEventDetails.builder()
                .flagsChanged(List.copyOf(flags))
                .message(message.toString())
                .build());
  }
}
