package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.AdaptiveBreakerConfig;
import dev.brownout.core.Backoff;
import dev.brownout.core.Brownout;
import dev.brownout.core.BulkheadConfig;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
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
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
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
}
