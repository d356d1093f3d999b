package dev.brownout.spring.sample;

import dev.brownout.core.annotation.Fallback;
import dev.brownout.core.annotation.Timeout;

// The guarded service of docs/spring.md: the processor generates Guarded_PriceService from it.
// docs:begin spring-price-service
public interface PriceService {

  @Timeout("2s")
  @Fallback(method = "unknown", on = IllegalStateException.class)
  long price(String sku); // cents

  default long unknown(String sku, Exception failure) {
    return -1;
  }
}
// docs:end
