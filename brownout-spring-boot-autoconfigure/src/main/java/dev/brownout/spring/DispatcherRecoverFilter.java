package dev.brownout.spring;

import dev.brownout.recover.servlet.RecoverFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * The {@link RecoverFilter}, seeing what a handler threw rather than Spring MVC's wrapper around
 * it. The dispatcher servlet rethrows a handler's unchecked exception inside a plain {@code
 * ServletException} ("Request processing failed"), so every incident of a Spring application would
 * otherwise be a {@code ServletException}, in its log line and in the {@code exception} tag of
 * {@code brownout.recover.incidents}. Only a plain {@code ServletException} around an unchecked
 * exception or an error is unwrapped; its subclasses and checked causes pass as they are.
 */
final class DispatcherRecoverFilter implements Filter {

  private final RecoverFilter recover;

  DispatcherRecoverFilter(RecoverFilter recover) {
    this.recover = recover;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    recover.doFilter(request, response, (req, res) -> proceed(chain, req, res));
  }

  private static void proceed(FilterChain chain, ServletRequest request, ServletResponse response)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException wrapper) {
      if (wrapper.getClass() == ServletException.class) {
        Throwable cause = wrapper.getCause();
        if (cause instanceof RuntimeException unchecked) {
          throw unchecked;
        }
        if (cause instanceof Error error) {
          throw error;
        }
      }
      throw wrapper;
    }
  }
}
