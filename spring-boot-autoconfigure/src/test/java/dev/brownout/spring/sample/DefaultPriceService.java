package dev.brownout.spring.sample;

/** The plain implementation, created by Spring with its {@link Catalog}. */
public class DefaultPriceService implements PriceService {

  private final Catalog catalog;

  public DefaultPriceService(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public long price(String sku) {
    return catalog.price(sku);
  }
}
