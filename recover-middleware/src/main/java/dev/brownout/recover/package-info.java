/**
 * Panic recovery: a crash inside one request or task becomes a clean error, one log line with an
 * incident id, and a metric, never a dead worker or a leaked stack trace.
 */
package dev.brownout.recover;
