package dev.brownout.demo.docs;

import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.annotation.CircuitBreaker;
import dev.brownout.core.annotation.Retry;
import dev.brownout.core.annotation.Timeout;
import java.io.IOException;

/** The deadline and retry attributes of docs/annotations.md, compiled by the processor. */
// docs:begin
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
// docs:end
