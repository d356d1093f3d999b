package dev.brownout.degradation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What one feature is set to and what that means right now, for admin views and tests.
 *
 * @param feature the feature's name
 * @param priority its priority
 * @param setting its own switch, as last set
 * @param source where that setting came from: {@code api}, a file, {@code expiry}, {@code default}
 * @param setAt when the setting was made
 * @param expiresAt when an expiring OFF setting returns to ON, or null
 * @param enabledPercent the share of keys the feature is on for, after parents, triggers and level
 * @param effective {@code ON}, {@code OFF} or {@code ROLLOUT <p>%}
 * @param cause why the feature is not fully on (its switch, a parent, a trigger or the level), or
 *     null
 */
public record FeatureState(
    String feature,
    Priority priority,
    Switch setting,
    String source,
    Instant setAt,
    @Nullable Instant expiresAt,
    double enabledPercent,
    String effective,
    @Nullable String cause) {

  /** Whether the feature is off for at least some keys. */
  public boolean isDegraded() {
    return enabledPercent < 100.0;
  }
}
