package dev.brownout.spring.shop;

import dev.brownout.degradation.Features;
import dev.brownout.spring.sample.Catalog;
import dev.brownout.spring.sample.DefaultPriceService;
import dev.brownout.spring.sample.PriceService;
import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

// The sample application of docs/spring.md: a guarded price service, a feature from properties,
// and a route that crashes.
// docs:begin spring-shop
@SpringBootApplication
public class ShopApplication {

  @Bean
  Catalog catalog() {
    return new Catalog();
  }

  @Bean
  PriceService priceService(Catalog catalog) {
    return new DefaultPriceService(catalog);
  }

  @RestController
  static class ShopController {
    private final PriceService prices;
    private final Features features;

    ShopController(PriceService prices, Features features) {
      this.prices = prices;
      this.features = features;
    }

    @GetMapping("/price/{sku}")
    long price(@PathVariable("sku") String sku) {
      return prices.price(sku);
    }

    @GetMapping("/recommendations")
    List<String> recommendations() {
      return features.feature("shop.recommendations").isEnabled()
          ? List.of("green tea", "oolong")
          : List.of();
    }

    @GetMapping("/crash")
    String crash() {
      throw new IllegalStateException("secret database password in this message");
    }
  }
}
// docs:end
