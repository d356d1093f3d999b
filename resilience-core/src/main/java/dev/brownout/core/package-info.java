/**
 * The Brownout runtime and its call protection.
 *
 * <p>A {@link dev.brownout.core.Brownout} runtime holds named {@link dev.brownout.core.Guard}s,
 * circuit breakers and bulkheads. A guard runs a call through its policies in one fixed order,
 * outermost first: fallback, retry, circuit breaker, timeout, bulkhead, the call. The happy path
 * takes no lock, allocates nothing and reads no clock unless a policy needs the call's duration.
 */
@NullMarked
package dev.brownout.core;

import org.jspecify.annotations.NullMarked;
