/**
 * Feature-level degradation: named, hierarchical features whose switches turn optional product
 * capabilities off, so that the core of a service keeps serving under pressure.
 */
@NullMarked
package dev.brownout.degradation;

import org.jspecify.annotations.NullMarked;
