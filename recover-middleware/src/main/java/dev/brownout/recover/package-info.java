/**
 * Panic recovery: a crash inside one request or task becomes a clean error, one log line with an
 * incident id, and a metric, never a dead worker or a leaked stack trace.
 *
 * <p>{@link dev.brownout.recover.Recover} is the core (per runtime: {@code Recover.of(brownout)});
 * it records {@link dev.brownout.recover.Incident}s through an {@link
 * dev.brownout.recover.IncidentLog} and answers requests with a {@link
 * dev.brownout.recover.ProblemResponse} whose body a {@link dev.brownout.recover.ProblemWriter}
 * writes from a {@link dev.brownout.recover.Problem}. The adapters live in {@code
 * dev.brownout.recover.servlet} and {@code dev.brownout.recover.httpserver}; the task wrappers and
 * the guard policy are methods of {@code Recover}.
 */
@NullMarked
package dev.brownout.recover;

import org.jspecify.annotations.NullMarked;
