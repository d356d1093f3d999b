package dev.brownout.demo.docs;

// docs:begin
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.annotation.*;
import dev.brownout.degradation.annotation.Degradable;
import dev.brownout.recover.Incident;
import dev.brownout.recover.annotation.Recover;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

@Bulkhead(maxConcurrentCalls = 20)                      // every public method of the type
public interface OrderService {

  record Quote(String item, int quantity, long cents) {
    public static final Quote UNKNOWN = new Quote("?", 0, -1);
  }

  @CircuitBreaker(failureRateThreshold = 50, waitDurationInOpenState = "30s")
  @Fallback(method = "cachedQuote", on = {CallNotPermittedException.class, IOException.class})
  Quote quote(String item, int quantity) throws IOException;

  default Quote cachedQuote(String item, int quantity, Exception failure) {
    return Quote.UNKNOWN;
  }

  @Retry(name = "orders.place", maxAttempts = 3, waitDuration = "50ms", retryOn = IOException.class)
  @Timeout("2s")
  void place(String item) throws IOException;

  @Timeout("300ms")
  CompletionStage<Integer> stock(String item);

  @Recover(method = "noSuggestions")                     // recover-middleware
  @Degradable(feature = "shop.suggestions", lastGood = true, fallback = "noSuggestions")   // degradation
  List<String> suggestions(String item);

  default List<String> noSuggestions(Incident incident) {
    return List.of();
  }

  default List<String> noSuggestions(String item, String reason) {   // while shop.suggestions is off
    return List.of();
  }
}
// docs:end
