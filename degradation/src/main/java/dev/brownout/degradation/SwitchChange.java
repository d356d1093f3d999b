package dev.brownout.degradation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the audit history: a feature whose setting or effect changed, or the brownout level.
 *
 * @param at when
 * @param feature the feature's name, or {@value Features#LEVEL} for the brownout level
 * @param from the effect before ({@code ON}, {@code OFF}, {@code ROLLOUT 25%}, or the level number)
 * @param to the effect after
 * @param setting the feature's own setting after the change (null for the level)
 * @param cause why
 * @param source what made the change: {@code api}, a file, {@code auto}, {@code expiry}, {@code
 *     level}, {@code controller}
 */
public record SwitchChange(
    Instant at,
    String feature,
    String from,
    String to,
    @Nullable Switch setting,
    String cause,
    String source) {}
