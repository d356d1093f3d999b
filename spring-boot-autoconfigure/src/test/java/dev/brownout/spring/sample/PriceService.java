package dev.brownout.spring.sample;

import dev.brownout.core.annotation.Fallback;
import dev.brownout.core.annotation.Timeout;

/** A guarded service: the processor generates {@code Guarded_PriceService} from it. */
public interface PriceService {

  /** The price of {@code sku} in cents; -1 when the catalogue fails. */
  @Timeout("2s")
  @Fallback(method = "unknown", on = IllegalStateException.class)
  long price(String sku);

  default long unknown(String sku, Exception failure) {
    return -1;
  }
}
