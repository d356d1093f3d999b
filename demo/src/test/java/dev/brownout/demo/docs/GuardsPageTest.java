package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.AdaptiveBreakerConfig;
import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.DeadlineExceededException;
import dev.brownout.core.Fallback;
import dev.brownout.core.Guard;
import dev.brownout.core.KeyedGuards;
import dev.brownout.core.Resilience4jBreakers;
import dev.brownout.core.RetryConfig;
import dev.brownout.demo.docs.Shop.AsyncInventoryClient;
import dev.brownout.demo.docs.Shop.InventoryClient;
import dev.brownout.demo.docs.Shop.Price;
import dev.brownout.demo.docs.Shop.PriceCache;
import dev.brownout.demo.docs.Shop.PricingClient;
import dev.brownout.demo.docs.Shop.Stock;
import dev.brownout.testing.ManualTicker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The examples of docs/guards.md, run. */
class GuardsPageTest {

  private final Brownout brownout = Brownout.builder().build();

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void inventoryGuardCallsEveryWay() throws Exception {
    InventoryClient client = new InventoryClient();
    AsyncInventoryClient asyncClient = new AsyncInventoryClient();
    String sku = "tea-42";
    // docs:begin
    Guard inventory = brownout.guard("inventory")
        .circuitBreaker(CircuitBreakerConfig.ofDefaults())
        .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(20).build())
        .retry(RetryConfig.ofDefaults())
        .timeout(Duration.ofMillis(300))
        .build();

    Stock stock = inventory.call(() -> client.stock(sku));                            // Callable
    Stock orNot = inventory.get(() -> client.stockUnchecked(sku), Fallback.value(Stock.UNKNOWN)); // Supplier
    inventory.run(() -> client.reserve(sku));                                         // no result
    CompletionStage<Stock> later = inventory.callAsync(() -> asyncClient.stock(sku)); // async

    Guard.KeyedCall<String, Stock> stockCall = client::stock;   // built once, kept in a field
    Stock keyed = inventory.callWith(sku, stockCall);           // the key is the argument: no allocation
    // docs:end

    assertThat(stock).isEqualTo(new Stock(sku, 7));
    assertThat(orNot).isEqualTo(stock);
    assertThat(client.reserved).hasValue(1);
    assertThat(later.toCompletableFuture().join()).isEqualTo(stock);
    assertThat(keyed).isEqualTo(stock);

    client.down = true;
    assertThat(inventory.get(() -> client.stockUnchecked(sku), Fallback.value(Stock.UNKNOWN))).isEqualTo(Stock.UNKNOWN);
  }

  @Test
  void classicBreakerWithResilience4jSettings() {
    // docs:begin
    CircuitBreaker payments = brownout.circuitBreaker("payments", CircuitBreakerConfig.builder()
        .failureRateThreshold(50)
        .slowCallDurationThreshold(Duration.ofSeconds(2))   // turns on slow-call detection
        .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 60, 20)
        .waitIntervalFunctionInOpenState(Backoff.exponential(Duration.ofSeconds(10), 2, Duration.ofMinutes(5)))
        .permittedNumberOfCallsInHalfOpenState(5)
        .ignoreExceptions(IllegalArgumentException.class)
        .build());

    payments.forceOpen();    // reject everything (FORCED_OPEN)
    payments.forceClosed();  // permit everything, keep recording, never open (FORCED_CLOSED)
    payments.disable();      // permit everything, record nothing (DISABLED)
    payments.reset();        // back to CLOSED with an empty window
    // docs:end

    assertThat(payments.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(brownout.circuitBreaker("payments")).isSameAs(payments);
  }

  @Test
  void lowTrafficBreakerOpensAfterTenCalls() {
    // docs:begin
    CircuitBreakerConfig lowTraffic = CircuitBreakerConfig.builder()
        .slidingWindow(CircuitBreakerConfig.WindowType.TIME_BASED, 60, 10)   // the last 60 s, judged from 10 calls on
        .build();
    // docs:end
    Guard rare = brownout.guard("rare").circuitBreaker(lowTraffic).build();
    for (int i = 0; i < 10; i++) {
      assertThatThrownBy(() -> rare.call(() -> { throw new IOException("down"); })).isInstanceOf(IOException.class);
    }
    assertThat(rare.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.OPEN);
  }

  @Test
  void defaultBreakerNeedsAHundredCallsBeforeItJudges() {
    Guard defaults = brownout.guard("defaults").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    for (int i = 0; i < 99; i++) {
      assertThatThrownBy(() -> defaults.call(() -> { throw new IOException("down"); })).isInstanceOf(IOException.class);
    }
    assertThat(defaults.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void adaptiveBreaker() throws Exception {
    // docs:begin
    Guard search = brownout.guard("search")
        .adaptiveCircuitBreaker(AdaptiveBreakerConfig.builder().k(2.0).window(Duration.ofMinutes(2)).build())
        .build();
    // docs:end
    assertThat(search.call(() -> "found")).isEqualTo("found");
    assertThat(search.circuitBreaker().orElseThrow().state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void resilience4jBreakerInsideAGuard() throws Exception {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    // docs:begin
    io.github.resilience4j.circuitbreaker.CircuitBreaker legacy = registry.circuitBreaker("legacy");
    Guard guard = brownout.guard("legacy").circuitBreaker(Resilience4jBreakers.adopt(brownout, legacy)).build();
    // docs:end
    legacy.transitionToForcedOpenState();
    assertThatThrownBy(() -> guard.call(() -> "never")).isInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void bulkhead() throws Exception {
    // docs:begin
    Guard reports = brownout.guard("reports")
        .bulkhead(BulkheadConfig.builder().maxConcurrentCalls(4).maxWaitDuration(Duration.ofMillis(50)).build())
        .build();
    // docs:end
    assertThat(reports.call(() -> "report")).isEqualTo("report");
    assertThat(reports.bulkhead().orElseThrow().availablePermits()).isEqualTo(4);
  }

  @Test
  void retryWithABudget() throws Exception {
    // docs:begin
    RetryConfig retry = RetryConfig.builder()
        .maxAttempts(3)
        .backoff(Backoff.exponentialRandom(Duration.ofMillis(50), 2.0, 0.5))
        .retryOn(IOException.class)
        .abortOn(FileNotFoundException.class)   // never retried, even though retryOn covers it
        .budget(0.1, 5)   // retries ≤ 10% of calls + 5 per second, over a rolling 10 s
        .build();
    // docs:end
    Guard guard = brownout.guard("files").retry(retry).build();
    int[] attempts = {0};
    assertThatThrownBy(() -> guard.call(() -> {
      attempts[0]++;
      throw new FileNotFoundException("gone");
    })).isInstanceOf(FileNotFoundException.class);
    assertThat(attempts[0]).isEqualTo(1);
  }

  @Test
  void fallbackByFailure() throws Exception {
    PricingClient client = new PricingClient();
    PriceCache cache = new PriceCache();
    Guard pricing = brownout.guard("pricing").circuitBreaker(CircuitBreakerConfig.ofDefaults()).build();
    String item = "tea";
    // docs:begin
    Fallback<Price> unknown = Fallback.on(CallNotPermittedException.class, e -> Price.UNKNOWN);
    Fallback<Price> price = unknown.orOn(IOException.class, e -> cache.lastPrice());
    Price p = pricing.call(() -> client.quote(item), price);
    // docs:end
    assertThat(p).isEqualTo(new Price("tea", 250));
    client.down = true;
    assertThat(pricing.call(() -> client.quote(item), price)).isEqualTo(cache.lastPrice());
    pricing.circuitBreaker().orElseThrow().forceOpen();
    assertThat(pricing.call(() -> client.quote(item), price)).isEqualTo(Price.UNKNOWN);
  }

  @Test
  void perKeyGuards() throws Exception {
    Shop.InventoryClient api = new Shop.InventoryClient();
    // docs:begin
    KeyedGuards<String> perTenant = brownout.keyedGuards("tenant-api", 10_000, Duration.ofMinutes(10),
        guard -> guard.circuitBreaker(CircuitBreakerConfig.ofDefaults()));
    perTenant.get("acme").call(() -> api.stock("acme"));
    // docs:end
    assertThat(perTenant.get("acme")).isSameAs(perTenant.get("acme"));
    assertThat(api.calls).hasValue(1);
  }

  /** A quote service that answers, or hangs until it is interrupted while {@code hung}. */
  static final class QuoteClient {
    volatile boolean hung;
    final AtomicInteger attempts = new AtomicInteger();
    private final CountDownLatch never = new CountDownLatch(1);

    Quote quote(String sku) throws InterruptedException {
      attempts.incrementAndGet();
      if (hung) {
        never.await();
      }
      return new Quote(sku);
    }
  }

  record Quote(String sku) {
    static final Quote UNKNOWN = new Quote("unknown");
  }

  @Test
  void timeoutPerAttemptDeadlinePerCall() throws Exception {
    QuoteClient client = new QuoteClient();
    String sku = "tea-42";
    // docs:begin
    Guard quotes = brownout.guard("quotes")
        .timeout(Duration.ofMillis(200))          // each attempt
        .deadline(Duration.ofSeconds(1))          // the whole call, retries and waits included
        .retry(RetryConfig.builder()
            .maxAttempts(5)
            .maxDuration(Duration.ofMillis(800))  // no new attempt starts after 800 ms
            .build())
        .build();
    Quote quote = quotes.call(() -> client.quote(sku), Fallback.on(CallTimeoutException.class, e -> Quote.UNKNOWN));
    // docs:end
    assertThat(quote).isEqualTo(new Quote(sku));

    client.hung = true;
    assertThat(quotes.call(() -> client.quote(sku), Fallback.on(CallTimeoutException.class, e -> Quote.UNKNOWN)))
        .isEqualTo(Quote.UNKNOWN);
    assertThat(client.attempts.get() - 1).as("attempts of the hung call").isBetween(2, 5);
    assertThat(quotes.counts().fallbackAfterTimeout()).isEqualTo(1);
  }

  @Test
  void theDeadlineStopsTheAttemptInFlight() {
    QuoteClient client = new QuoteClient();
    client.hung = true;
    String sku = "tea-42";
    // docs:begin
    Guard lookup = brownout.guard("lookup")
        .timeout(Duration.ofMillis(200))
        .deadline(Duration.ofMillis(400))
        .retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(100)).build())
        .build();
    // a dependency that hangs: the first attempt times out at 200 ms, the second starts at 300 ms and is stopped at 400 ms
    assertThatThrownBy(() -> lookup.call(() -> client.quote(sku)))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("reached the deadline of the whole call");
    // docs:end
    assertThat(client.attempts).hasValue(2);
    assertThat(lookup.counts().timeout()).isEqualTo(1);
  }

  @Test
  void retryingWhileTheBreakerIsOpen() throws Exception {
    ManualTicker ticker = new ManualTicker();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().ticker(ticker).meterRegistry(registry).build()) {
      // docs:begin
      Guard inventory = brownout.guard("inventory")
          .circuitBreaker(CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofSeconds(5)).build())
          .retry(RetryConfig.builder()
              .maxAttempts(20)
              .waitDuration(Duration.ofSeconds(1))
              .retryOnRejection(CallNotPermittedException.class)  // retry until the breaker half-opens
              .build())
          .deadline(Duration.ofSeconds(10))
          .build();
      // docs:end
      CircuitBreaker breaker = inventory.circuitBreaker().orElseThrow();
      for (int i = 0; i < 100; i++) {   // the default window: 100 failed calls open it
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(0, new IOException("down"));
      }
      assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
      AtomicInteger calls = new AtomicInteger();
      CompletionStage<Integer> stock = inventory.callAsync(() -> {
        calls.incrementAndGet();
        return java.util.concurrent.CompletableFuture.completedFuture(7);
      });
      // the first attempt was refused and its retry waits a second; the breaker's wait in open then passes
      assertThat(calls).hasValue(0);
      ticker.advance(Duration.ofSeconds(6));
      assertThat(stock.toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(7);
      assertThat(calls).hasValue(1);
      assertThat(inventory.counts().success()).isEqualTo(1);
      assertThat(registry.get("brownout.retry.calls").tag("result", "succeeded_after_retry").functionCounter().count()).isEqualTo(1);
    }
  }
}
