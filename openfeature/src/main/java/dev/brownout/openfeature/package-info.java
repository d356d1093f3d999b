/**
 * An OpenFeature provider over Brownout features: {@link
 * dev.brownout.openfeature.BrownoutProvider}.
 */
@NullMarked
package dev.brownout.openfeature;

import org.jspecify.annotations.NullMarked;
