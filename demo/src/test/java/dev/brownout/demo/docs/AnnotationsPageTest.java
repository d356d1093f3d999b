package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.demo.docs.OrderService.Quote;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/annotations.md, run through the class the processor generated. */
class AnnotationsPageTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  /** The implementation the generated class delegates to; pricing fails while {@code down}. */
  static final class DefaultOrderService implements OrderService {
    volatile boolean down;
    final AtomicInteger placed = new AtomicInteger();

    @Override
    public Quote quote(String item, int quantity) throws IOException {
      if (down) {
        throw new IOException("pricing down");
      }
      return new Quote(item, quantity, 250L * quantity);
    }

    @Override
    public void place(String item) {
      placed.incrementAndGet();
    }

    @Override
    public CompletionStage<Integer> stock(String item) {
      return CompletableFuture.completedFuture(7);
    }

    @Override
    public List<String> suggestions(String item) {
      if (down) {
        throw new IllegalStateException("suggestions crashed");
      }
      return List.of(item + " cups");
    }
  }

  @Test
  void theGeneratedClassGuardsEveryMethod() throws Exception {
    // docs:begin
    OrderService orders = brownout.wrap(OrderService.class, new DefaultOrderService());
    Quote quote = orders.quote("tea", 2);   // bulkhead + breaker; the fallback answers for a rejection or an IOException
    // docs:end
    assertThat(quote).isEqualTo(new Quote("tea", 2, 500));
  }

  @Test
  void fallbacksRecoveryAndDegradationAnswerForTheImplementation() throws Exception {
    DefaultOrderService implementation = new DefaultOrderService();
    OrderService guarded = brownout.wrap(OrderService.class, implementation);
    implementation.down = true;
    assertThat(guarded.quote("tea", 2)).isEqualTo(Quote.UNKNOWN);
    assertThat(guarded.suggestions("tea")).isEmpty();   // a crash: an incident, then noSuggestions
    implementation.down = false;
    guarded.place("tea");
    assertThat(implementation.placed).hasValue(1);
    assertThat(guarded.stock("tea").toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(7);
    assertThat(brownout.findGuard("orders.place")).isPresent();
    assertThat(brownout.findGuard("OrderService.quote")).isPresent();

    assertThat(guarded.suggestions("tea")).containsExactly("tea cups");
    Features.of(brownout).set("shop.suggestions", Switch.off("test"));
    assertThat(guarded.suggestions("tea")).containsExactly("tea cups");   // the last good value
    assertThat(guarded.suggestions("coffee")).isEmpty();                  // noSuggestions(item, reason)
  }
}
