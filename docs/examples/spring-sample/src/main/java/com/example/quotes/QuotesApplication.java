package com.example.quotes;

import dev.brownout.degradation.Features;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A quotes service: a guarded bean, an optional feature, and a route that crashes. */
@SpringBootApplication
public class QuotesApplication {

  public static void main(String[] args) {
    SpringApplication.run(QuotesApplication.class, args);
  }

  @Bean
  QuoteService quoteService() {
    return new ExchangeQuoteService();
  }

  @RestController
  static class QuotesController {
    private final QuoteService quotes;
    private final Features features;

    QuotesController(QuoteService quotes, Features features) {
      this.quotes = quotes; // the guarded class
      this.features = features;
    }

    @GetMapping("/quote/{symbol}")
    long quote(@PathVariable("symbol") String symbol) {
      return quotes.quote(symbol);
    }

    @GetMapping("/news/{symbol}")
    List<String> news(@PathVariable("symbol") String symbol) {
      return features.feature("quotes.news").isEnabled()
          ? List.of(symbol + " opens a new factory")
          : List.of();
    }

    @GetMapping("/crash")
    String crash() {
      throw new IllegalStateException("connection string with a password in it");
    }
  }
}
