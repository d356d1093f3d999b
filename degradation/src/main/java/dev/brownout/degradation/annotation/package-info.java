/**
 * The annotation form of a feature switch on a guarded method, read by {@code resilience-processor}
 * when the code compiles.
 */
@NullMarked
package dev.brownout.degradation.annotation;

import org.jspecify.annotations.NullMarked;
