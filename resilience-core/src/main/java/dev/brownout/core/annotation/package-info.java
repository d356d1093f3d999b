/**
 * Annotations that put a method behind a guard, checked when the code compiles by the {@code
 * resilience-processor} and turned into a generated class ({@code Guarded_<Type>}) that calls the
 * runtime directly: no reflection, no proxies. An attribute left unset means the policy's default,
 * or the runtime's configuration ({@code brownout.guard.<guard>.<policy>.<attribute>}).
 */
@NullMarked
package dev.brownout.core.annotation;

import org.jspecify.annotations.NullMarked;
