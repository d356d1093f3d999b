package dev.brownout.demo;

import dev.brownout.core.*;
import java.io.IOException;

public class QuickStart {
  public static void main(String[] args) throws Exception {
    try (Brownout brownout = Brownout.builder().build()) {
      Guard recommendations = brownout.guard("recommendations")
          .circuitBreaker(CircuitBreakerConfig.builder()
              .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 10, 5).build())
          .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(10).build())
          .build();
      Fallback<String> none = Fallback.value("(no recommendations)");

      for (int call = 1; call <= 8; call++) {
        boolean down = call >= 3; // the recommender fails from the third call on
        String shown = recommendations.call(() -> {
          if (down) throw new IOException("recommender down");
          return "books you may like";
        }, none);
        CircuitBreaker.State state = recommendations.circuitBreaker().orElseThrow().state();
        System.out.println("call " + call + ": " + shown + "  [breaker " + state + "]");
      }
    }
  }
}
