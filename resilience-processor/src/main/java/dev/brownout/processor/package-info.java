/**
 * The javac annotation processor that turns Brownout's annotations into generated guarded classes,
 * checked when the code compiles.
 */
package dev.brownout.processor;
