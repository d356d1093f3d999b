package com.example.quotes;

import java.util.Map;

/** The plain implementation, declared as a bean; Brownout injects its guarded class instead. */
public class ExchangeQuoteService implements QuoteService {

  private final Map<String, Long> prices = Map.of("ACME", 12_345L);

  @Override
  public long quote(String symbol) {
    Long price = prices.get(symbol);
    if (price == null) {
      throw new IllegalStateException("the exchange does not list " + symbol);
    }
    return price;
  }
}
