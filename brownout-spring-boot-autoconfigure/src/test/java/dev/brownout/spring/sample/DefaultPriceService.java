package dev.brownout.spring.sample;

// The plain implementation of docs/spring.md, created by Spring with its Catalog.
// docs:begin spring-default-price-service
public class DefaultPriceService implements PriceService {

  private final Catalog catalog;

  public DefaultPriceService(Catalog catalog) { // constructor injection, as usual
    this.catalog = catalog;
  }

  @Override
  public long price(String sku) {
    return catalog.price(sku);
  }
}
// docs:end
