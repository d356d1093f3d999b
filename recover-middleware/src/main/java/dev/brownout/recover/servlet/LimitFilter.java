package dev.brownout.recover.servlet;

import dev.brownout.core.Limiter;
import dev.brownout.recover.InboundLimit;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A Servlet filter that holds inbound requests to a {@link Limiter} (see {@link InboundLimit}): a request
 * over the limit is answered at once with 503 (or 429), {@code Retry-After} and a problem+json body, and
 * never reaches the rest of the chain. Map it after the {@link RecoverFilter}, for the {@code REQUEST}
 * dispatch.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new LimitFilter(InboundLimit.<HttpServletRequest>builder(limiter)
 *     .bypass(request -> request.getRequestURI().endsWith("/health"))
 *     .build())), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>A request put into asynchronous mode ({@code startAsync}) gives its permit back when the filter
 * returns, not when the response completes: the limit then counts the dispatch, not the whole request.
 */
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
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
      chain.doFilter(request, response);
      return;
    }
    Limiter.Partition partition = limit.partitionOf(http);
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
    } catch (IOException | ServletException | RuntimeException | Error thrown) {
      limit.release(partition, permit, thrown);
      throw thrown;
    }
    limit.release(partition, permit, answer.getStatus());
  }
}
