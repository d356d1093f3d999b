/**
 * Brownout's migrations: moving a call from an old implementation to a new one, first by comparing
 * them on live traffic (experiments), then by routing a growing share of keys to the new one. Its
 * API shows degradation's switches and resilience-core's runtime, so reading this module reads
 * those.
 */
// "requires-automatic": Micrometer publishes only an automatic module name.
@SuppressWarnings("requires-automatic")
module dev.brownout.migration {
  requires transitive dev.brownout.core;
  requires transitive dev.brownout.degradation;
  requires micrometer.core; // the experiments' meters
  requires org.slf4j;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;

  exports dev.brownout.migration;
  exports dev.brownout.migration.annotation;
}
