package dev.brownout.recover.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.brownout.core.Limiter;
import dev.brownout.recover.InboundLimit;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A filter for the JDK's built-in {@code HttpServer} that holds inbound requests to a {@link
 * Limiter} (see {@link InboundLimit}): a request over the limit is answered at once with 503 (or
 * 429), {@code Retry-After} and a problem+json body, and never reaches the handler. Add it after
 * the {@link RecoverFilter}, so that a crash is answered by recovery and seen here as an exception.
 *
 * <pre>{@code
 * HttpContext context = server.createContext("/", handler);
 * context.getFilters().add(new RecoverFilter(Recover.of(brownout)));
 * context.getFilters().add(new LimitFilter(InboundLimit.<HttpExchange>builder(limiter).build()));
 * }</pre>
 */
// "exports": the server's module is optional for this module (static, not transitive); an
// application that uses this filter reads that module already.
@SuppressWarnings("exports")
public final class LimitFilter extends Filter {

  private final InboundLimit<HttpExchange> limit;

  public LimitFilter(InboundLimit<HttpExchange> limit) {
    if (limit == null) {
      throw new IllegalArgumentException("LimitFilter.limit must not be null, but was null");
    }
    this.limit = limit;
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Limiter.@Nullable Partition partition = limit.partitionOf(exchange);
    if (partition == null) {
      chain.doFilter(exchange);
      return;
    }
    long permit = partition.tryAcquire();
    if (permit == Limiter.REFUSED) {
      refuse(exchange);
      return;
    }
    try {
      chain.doFilter(exchange);
    } catch (Throwable thrown) {
      limit.release(partition, permit, thrown);
      throw thrown;
    }
    limit.release(partition, permit, exchange.getResponseCode());
  }

  @Override
  public String description() {
    return "Brownout inbound limit: requests over the limiter's limit are refused with "
        + limit.status();
  }

  private void refuse(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().close();
      Headers headers = exchange.getResponseHeaders();
      headers.set("Content-Type", limit.contentType());
      headers.set("Retry-After", limit.retryAfter());
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(limit.status(), -1);
        return;
      }
      byte[] body = limit.body();
      exchange.sendResponseHeaders(limit.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
