package dev.brownout.spring.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A dependency of {@link DefaultPriceService}, injected through its constructor. */
public class Catalog {

  private final Map<String, Long> prices = new ConcurrentHashMap<>(Map.of("tea", 250L));

  public long price(String sku) {
    Long price = prices.get(sku);
    if (price == null) {
      throw new IllegalStateException("no price for " + sku);
    }
    return price;
  }
}
