package dev.brownout.spring.sample;

import dev.brownout.core.annotation.Timeout;

/** An annotated class, not an interface: its generated class extends it. */
public class StockService {

  @Timeout("1s")
  public int stock(String sku) {
    return sku.length();
  }
}
