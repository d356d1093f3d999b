/**
 * Feature switches shared by a fleet through Redis: {@link
 * dev.brownout.degradation.redis.RedisSwitchSource}, a switch source that every instance reads and
 * writes, so that a switch set on one instance reaches all of them.
 */
@NullMarked
package dev.brownout.degradation.redis;

import org.jspecify.annotations.NullMarked;
