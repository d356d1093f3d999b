/**
 * Hooks for the policies that live outside the core module but run inside a guard, in the guard's
 * fixed order: {@link dev.brownout.core.spi.Recovery} (outermost) and {@link
 * dev.brownout.core.spi.Admission} (the feature switch, next). Users get them from the {@code
 * recover-middleware} and {@code degradation} modules; implement them only to add a policy of that
 * kind.
 */
@NullMarked
package dev.brownout.core.spi;

import org.jspecify.annotations.NullMarked;
