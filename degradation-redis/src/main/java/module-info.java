/**
 * Feature switches shared by a fleet through Redis: a {@code SwitchSource} of the degradation
 * module over Lettuce. Its builder takes Lettuce's {@code RedisURI} and {@code ClientResources}, so
 * reading this module reads Lettuce and the degradation module too.
 */
// "requires-automatic" and "requires-transitive-automatic": Lettuce publishes only an automatic
// module name (lettuce.core).
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.brownout.degradation.redis {
  requires transitive dev.brownout.degradation;
  requires transitive lettuce.core;
  requires org.slf4j;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;

  exports dev.brownout.degradation.redis;
}
