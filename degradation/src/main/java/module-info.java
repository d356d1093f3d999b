/**
 * Brownout's graceful degradation: features, switches, triggers and the level controller. Its API
 * shows resilience-core's types (the {@code Brownout} instance, guards), so reading this module
 * reads that one.
 */
// "requires-automatic": Micrometer publishes only an automatic module name.
@SuppressWarnings("requires-automatic")
module dev.brownout.degradation {
  requires transitive dev.brownout.core;
  requires com.github.benmanes.caffeine;
  requires jdk.management; // LoadSignal reads the process CPU load (com.sun.management)
  requires micrometer.core;
  requires org.slf4j;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;

  exports dev.brownout.degradation;
  exports dev.brownout.degradation.annotation;
}
