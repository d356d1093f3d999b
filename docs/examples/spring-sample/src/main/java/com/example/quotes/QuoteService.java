package com.example.quotes;

import dev.brownout.core.annotation.CircuitBreaker;
import dev.brownout.core.annotation.Fallback;
import dev.brownout.core.annotation.Timeout;

/** A price from the exchange, guarded: the processor generates Guarded_QuoteService from it. */
public interface QuoteService {

  @CircuitBreaker
  @Timeout("1s")
  @Fallback(method = "unavailable", on = IllegalStateException.class)
  long quote(String symbol); // cents

  default long unavailable(String symbol, Exception failure) {
    return -1;
  }
}
