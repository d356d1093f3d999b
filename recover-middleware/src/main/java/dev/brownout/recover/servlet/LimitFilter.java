package dev.brownout.recover.servlet;

import dev.brownout.core.Limiter;
import dev.brownout.recover.InboundLimit;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A Servlet filter that holds inbound requests to a {@link Limiter} (see {@link InboundLimit}): a
 * request over the limit is answered at once with 503 (or 429), {@code Retry-After} and a
 * problem+json body, and never reaches the rest of the chain. Map it after the {@link
 * RecoverFilter}, for the {@code REQUEST} dispatch.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new LimitFilter(InboundLimit.<HttpServletRequest>builder(limiter)
 *     .bypass(request -> request.getRequestURI().endsWith("/health"))
 *     .build())), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>A request put into asynchronous mode ({@code startAsync}) holds its permit until the request
 * completes (a success, with its status), times out (a drop) or fails; an exception of any kind
 * from the chain gives the permit back before it goes on.
 */
// "exports": the server's module is optional for this module (static, not transitive); an
// application that uses this filter reads that module already.
@SuppressWarnings("exports")
public final class LimitFilter implements Filter {

  private final InboundLimit<HttpServletRequest> limit;

  public LimitFilter(InboundLimit<HttpServletRequest> limit) {
    if (limit == null) {
      throw new IllegalArgumentException("LimitFilter.limit must not be null, but was null");
    }
    this.limit = limit;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http)
        || !(response instanceof HttpServletResponse answer)) {
      chain.doFilter(request, response);
      return;
    }
    Limiter.@Nullable Partition partition = limit.partitionOf(http);
    if (partition == null) {
      chain.doFilter(request, response);
      return;
    }
    long permit = partition.tryAcquire();
    if (permit == Limiter.REFUSED) {
      answer.setStatus(limit.status());
      answer.setContentType(limit.contentType());
      answer.setHeader("Retry-After", limit.retryAfter());
      if (!"HEAD".equals(http.getMethod())) {
        answer.getOutputStream().write(limit.body());
      }
      return;
    }
    try {
      chain.doFilter(request, response);
    } catch (Throwable thrown) {
      limit.release(partition, permit, thrown);
      throw thrown;
    }
    if (http.isAsyncStarted()) {
      http.getAsyncContext().addListener(new Release(partition, permit));
    } else {
      limit.release(partition, permit, answer.getStatus());
    }
  }

  /** Gives an asynchronous request's permit back when the request ends, once. */
  private final class Release implements AsyncListener {
    private final Limiter.Partition partition;
    private final long permit;
    private final AtomicBoolean released = new AtomicBoolean();

    Release(Limiter.Partition partition, long permit) {
      this.partition = partition;
      this.permit = permit;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      if (released.compareAndSet(false, true)) {
        limit.release(
            partition, permit, ((HttpServletResponse) event.getSuppliedResponse()).getStatus());
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      if (released.compareAndSet(false, true)) {
        partition.onDropped(permit);
      }
    }

    @Override
    public void onError(AsyncEvent event) {
      if (released.compareAndSet(false, true)) {
        limit.release(partition, permit, event.getThrowable());
      }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this); // a new cycle of the same request: keep listening
    }
  }
}
