/**
 * Fixtures for testing code that uses Brownout, in test scope: {@link
 * dev.brownout.testing.ManualTicker} (time that moves when the test says) and {@link
 * dev.brownout.testing.ManualSwitchSource} (switches set from outside by the test). See {@code
 * docs/incoming/testing.md}.
 */
@NullMarked
package dev.brownout.testing;

import org.jspecify.annotations.NullMarked;
