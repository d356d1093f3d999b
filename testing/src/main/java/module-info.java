/**
 * Test helpers for applications that use Brownout: a hand-driven ticker for resilience-core's
 * clocks and a switch source driven by the test. The degradation module is optional: only {@code
 * ManualSwitchSource} needs it, and a test that uses it reads that module already.
 */
module dev.brownout.testing {
  requires transitive dev.brownout.core;
  requires static dev.brownout.degradation;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;

  exports dev.brownout.testing;
}
