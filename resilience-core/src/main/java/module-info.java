/**
 * Brownout's guards (circuit breakers, bulkheads, retries, timeouts, fallbacks), bounded executors
 * and the annotations the processor reads. {@code dev.brownout.core.internal} is read only by the
 * other Brownout modules: the names the processor and the runtime agree on, and the shared
 * validation of settings.
 */
// "module": the Brownout modules named below are compiled after this one; "requires-automatic" and
// "requires-transitive-automatic": Micrometer and Resilience4j publish only automatic module names.
@SuppressWarnings({"module", "requires-automatic", "requires-transitive-automatic"})
module dev.brownout.core {
  requires transitive micrometer
      .core; // MeterRegistry in Brownout.Builder, BrownoutMetrics, executors
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;
  // Optional: only the Resilience4jBreakers adapter uses it. Not transitive: a static transitive
  // dependency would be required when compiling every module that reads this one.
  requires static io.github.resilience4j.circuitbreaker;
  requires static io.github.resilience4j.core;

  exports dev.brownout.core;
  exports dev.brownout.core.annotation;
  exports dev.brownout.core.executor;
  exports dev.brownout.core.spi;
  exports dev.brownout.core.internal to
      dev.brownout.degradation,
      dev.brownout.degradation.redis,
      dev.brownout.recover,
      dev.brownout.processor,
      dev.brownout.migration,
      dev.brownout.admin;
}
