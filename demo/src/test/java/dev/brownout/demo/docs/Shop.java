package dev.brownout.demo.docs;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** The small in-process dependencies the documentation's examples call. */
final class Shop {

  private Shop() {}

  record Stock(String sku, int count) {
    static final Stock UNKNOWN = new Stock("?", -1);
  }

  record Price(String item, long cents) {
    static final Price UNKNOWN = new Price("?", -1);
  }

  record Item(String name) {}

  /** An inventory service that answers, or fails with an IOException while {@code down}. */
  static final class InventoryClient {
    volatile boolean down;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger reserved = new AtomicInteger();

    Stock stock(String sku) throws IOException {
      calls.incrementAndGet();
      if (down) {
        throw new IOException("inventory down");
      }
      return new Stock(sku, 7);
    }

    Stock stockUnchecked(String sku) {
      calls.incrementAndGet();
      if (down) {
        throw new IllegalStateException("inventory down");
      }
      return new Stock(sku, 7);
    }

    void reserve(String sku) throws IOException {
      stock(sku);
      reserved.incrementAndGet();
    }
  }

  /** The same inventory, asynchronous. */
  static final class AsyncInventoryClient {
    CompletionStage<Stock> stock(String sku) {
      return CompletableFuture.completedFuture(new Stock(sku, 7));
    }
  }

  /** A pricing service that fails with an IOException while {@code down}. */
  static final class PricingClient {
    volatile boolean down;

    Price quote(String item) throws IOException {
      if (down) {
        throw new IOException("pricing down");
      }
      return new Price(item, 250);
    }
  }

  /** The last prices seen. */
  static final class PriceCache {
    Price lastPrice() {
      return new Price("cached", 240);
    }
  }

  /** A recommender that fails while {@code down}. */
  static final class Recommender {
    volatile boolean down;
    final AtomicInteger calls = new AtomicInteger();

    List<Item> forUser(String userId) throws IOException {
      calls.incrementAndGet();
      if (down) {
        throw new IOException("recommender down");
      }
      return List.of(new Item("book for " + userId));
    }
  }
}
