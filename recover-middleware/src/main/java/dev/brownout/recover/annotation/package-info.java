/**
 * The {@link dev.brownout.recover.annotation.Recover} annotation, checked when the code compiles by
 * the {@code resilience-processor} and turned into the recovery policy of the method's guard in the
 * generated {@code Guarded_<Type>} class.
 */
@NullMarked
package dev.brownout.recover.annotation;

import org.jspecify.annotations.NullMarked;
