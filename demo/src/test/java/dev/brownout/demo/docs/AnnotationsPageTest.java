package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.demo.docs.OrderService.Quote;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
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

  /** Quotes hang until interrupted; stock is 7. */
  static final class HungQuotes implements QuoteService {
    final AtomicInteger quoteAttempts = new AtomicInteger();
    final AtomicInteger stockCalls = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);

    @Override
    public QuoteService.Quote quote(String sku) throws IOException {
      quoteAttempts.incrementAndGet();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("interrupted");
    }

    @Override
    public int stock(String sku) {
      stockCalls.incrementAndGet();
      return 7;
    }
  }

  @Test
  void timeoutDeadlineAndRetryAttributesBoundTheCall() {
    HungQuotes implementation = new HungQuotes();
    QuoteService quotes = brownout.wrap(QuoteService.class, implementation);
    assertThatThrownBy(() -> quotes.quote("tea")).isInstanceOf(CallTimeoutException.class);
    assertThat(implementation.quoteAttempts.get()).as("attempts within maxDuration").isBetween(2, 5);
  }

  @Test
  void retryOnRejectionRetriesUntilTheBreakerHalfOpens() throws Exception {
    // the annotation's 5 s wait in open, made 1.5 s so that the test waits for two retries, not five
    ConfigSource config = ConfigSource.of(
        Map.of("brownout.guard.QuoteService.stock.circuitBreaker.waitDurationInOpenState", "1500ms"), "test settings");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().config(config).meterRegistry(registry).build()) {
      HungQuotes implementation = new HungQuotes();
      QuoteService quotes = brownout.wrap(QuoteService.class, implementation);
      CircuitBreaker breaker = brownout.findGuard("QuoteService.stock").orElseThrow().circuitBreaker().orElseThrow();
      for (int i = 0; i < 100; i++) {   // the default window: 100 failed calls open it
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(0, new IOException("down"));
      }
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(quotes.stock("tea")).isEqualTo(7);   // refused, retried each second until the breaker half-opened
      assertThat(implementation.stockCalls).hasValue(1);
      assertThat(registry.get("brownout.retry.calls").tag("guard", "QuoteService.stock").tag("result", "succeeded_after_retry")
          .functionCounter().count()).isEqualTo(1);
    }
  }
}
