/**
 * Annotations that move a method of a guarded type to a new implementation, read by Brownout's
 * annotation processor: {@link dev.brownout.migration.annotation.ExperimentWith} compares a
 * candidate method beside the annotated one, {@link dev.brownout.migration.annotation.ShiftTo}
 * routes a share of keys to a new method, and {@link dev.brownout.migration.annotation.ShiftKey}
 * marks the parameter that is the key. The generated guarded class builds the {@code Experiment} or
 * {@code Shift} once and calls the annotated method through it.
 *
 * <p>The names differ from the classes {@code Experiment} and {@code Shift} on purpose: a source
 * that builds one by hand and annotates another imports both without qualifying either.
 */
package dev.brownout.migration.annotation;
