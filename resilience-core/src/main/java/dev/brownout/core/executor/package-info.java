/**
 * Bounded executors: {@link dev.brownout.core.executor.BoundedExecutor} (bounds on running and
 * queued tasks, partitions, context and {@link dev.brownout.core.executor.Deadline} propagation, a
 * stuck-task watchdog, graceful drain), and the {@link dev.brownout.core.executor.LeakDetector} for
 * resources dropped without being closed. Get executors from {@code Brownout.executor(name,
 * config)} so that their meters are bound and {@code Brownout.close()} drains them.
 */
@NullMarked
package dev.brownout.core.executor;

import org.jspecify.annotations.NullMarked;
