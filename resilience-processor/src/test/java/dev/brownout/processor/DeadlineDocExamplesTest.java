package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The annotated interface and the keys of {@code docs/incoming/core-deadline.md}, word for word: the
 * interface compiles, and a runtime with those keys builds its guards.
 */
class DeadlineDocExamplesTest {

  private static final String QUOTE_SERVICE = """
      package shop;

      import dev.brownout.core.CallNotPermittedException;
      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.core.annotation.Retry;
      import dev.brownout.core.annotation.Timeout;
      import java.io.IOException;

      public interface QuoteService {
        record Quote(String sku) {}

        @Timeout(value = "200ms", deadline = "1s")
        @Retry(maxAttempts = 5, maxDuration = "800ms")
        Quote quote(String sku) throws IOException;

        @CircuitBreaker(waitDurationInOpenState = "5s")
        @Retry(maxAttempts = 20, waitDuration = "1s", retryOnRejection = CallNotPermittedException.class)
        @Timeout(deadline = "10s")
        int stock(String sku);
      }
      """;

  private static final Map<String, String> KEYS = Map.of(
      "brownout.defaults.timeout.deadline", "2s",
      "brownout.guard.QuoteService.quote.timeout.deadline", "1500ms",
      "brownout.guard.QuoteService.quote.retry.maxDuration", "1s",
      "brownout.guard.QuoteService.stock.retry.retryOnRejection", "CallNotPermittedException, BulkheadFullException");

  @Test
  void theAnnotatedInterfaceCompilesAndTheKeysApply() throws Throwable {
    Compilation compilation = Compilation.compile("shop.QuoteService", QUOTE_SERVICE);
    assertThat(compilation.errors()).isEmpty();
    Class<?> service = compilation.loader().loadClass("shop.QuoteService");
    Object implementation = Proxy.newProxyInstance(service.getClassLoader(), new Class<?>[] {service}, (proxy, method, args) -> 7);

    try (Brownout brownout = Brownout.builder().config(ConfigSource.of(KEYS, "the page's keys")).build()) {
      Object wrapped = Reflective.wrap(brownout, service, implementation);
      brownout.checkConfig();

      assertThat(Reflective.invoke(wrapped, "stock", "sku-1")).isEqualTo(7);
    }
  }
}
