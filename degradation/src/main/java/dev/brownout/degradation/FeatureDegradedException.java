package dev.brownout.degradation;

import dev.brownout.core.RejectedCallException;

/**
 * Thrown to the caller of a guarded call whose feature is off and whose degradation strategy is
 * {@link DegradationStrategy#fail()}. Stackless and made once per change of the feature's state, so
 * a flood of degraded calls allocates nothing; never retried.
 */
public final class FeatureDegradedException extends RejectedCallException {

  private static final long serialVersionUID = 1L;

  FeatureDegradedException(String feature, String cause) {
    super(feature, "feature '" + feature + "' is degraded: " + cause);
  }
}
