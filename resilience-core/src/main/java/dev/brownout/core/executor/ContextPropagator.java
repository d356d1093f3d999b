package dev.brownout.core.executor;

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
  C capture();

  /** On the worker, before the task: installs {@code captured} and returns what was there. */
  C attach(C captured);

  /** On the worker, after the task: puts back what {@link #attach} returned. */
  void restore(C previous);
}
