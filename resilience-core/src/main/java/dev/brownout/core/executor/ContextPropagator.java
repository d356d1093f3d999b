package dev.brownout.core.executor;

import org.jspecify.annotations.Nullable;

/**
 * Carries one kind of thread-bound context (a trace span, a tenant, a security principal) from the
 * thread that submits a task to the worker that runs it. The SLF4J MDC and the {@link Deadline} are
 * carried without one.
 *
 * <pre>{@code
 * ContextPropagator<String> tenant = new ContextPropagator<>() {
 *   public String capture() { return Tenant.current(); }
 *   public String attach(String captured) { String before = Tenant.current(); Tenant.set(captured); return before; }
 *   public void restore(String before) { Tenant.set(before); }
 * };
 * }</pre>
 *
 * @param <C> the captured context
 */
public interface ContextPropagator<C> {

  /** On the submitting thread: the context the task should see (null for none). */
  @Nullable C capture();

  /**
   * On the worker, before the task: installs {@code captured} and returns what was there. If it
   * throws, the task fails with that exception, once the propagators attached before it are
   * restored.
   */
  @Nullable C attach(@Nullable C captured);

  /**
   * On the worker, after the task: puts back what {@link #attach} returned. If it throws, the
   * task's outcome stands and the worker goes on; the failure is counted ({@code
   * brownout.executor.context.failed}) and logged once per propagator and cause.
   */
  void restore(@Nullable C previous);
}
