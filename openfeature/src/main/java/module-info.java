/**
 * Brownout's features as OpenFeature flags: a provider for the OpenFeature SDK that answers boolean
 * flags from a {@code Features} and tells the SDK when switches change. Its API shows degradation's
 * features and the SDK's provider types, so reading this module reads those.
 */
// "requires-automatic", "requires-transitive-automatic": the OpenFeature SDK publishes only an
// automatic module name.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.brownout.openfeature {
  requires transitive dev.brownout.degradation;
  requires transitive dev.openfeature.sdk;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;

  exports dev.brownout.openfeature;
}
