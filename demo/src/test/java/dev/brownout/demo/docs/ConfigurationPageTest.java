package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.demo.docs.AnnotationsPageTest.DefaultOrderService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/configuration.md, run with the page's own properties block. */
class ConfigurationPageTest {

  @Test
  void thePagesKeysOverrideTheAnnotations(@TempDir Path dir) throws Exception {
    Path settingsFile = dir.resolve("brownout.properties");
    Files.writeString(settingsFile, Snippets.firstBlock("docs/configuration.md", "properties"), StandardCharsets.UTF_8);
    // docs:begin
    Brownout brownout = Brownout.builder()
        .config(ConfigSource.systemProperties()
            .or(ConfigSource.environment())
            .or(ConfigSource.properties(settingsFile)))   // e.g. /etc/shop/brownout.properties
        .build();
    // docs:end
    try (brownout) {
      OrderService orders = brownout.wrap(OrderService.class, new DefaultOrderService());
      assertThat(orders.quote("tea", 1)).isNotNull();
      // The class key sets every guard of OrderService; the annotation said 20.
      assertThat(brownout.findGuard("OrderService.quote").orElseThrow().bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(40);
      assertThat(brownout.findGuard("orders.place").orElseThrow().bulkhead().orElseThrow().maxConcurrentCalls()).isEqualTo(40);
      // docs:begin
      // ... once the application has built its guards (a Spring application: when its context is refreshed)
      brownout.checkConfig();   // fails, listing every key that sets no guard or class built so far
      // docs:end
    }
  }

  @Test
  void checkConfigNamesAMisspeltClassAndTheNearestValidKey() {
    ConfigSource config = ConfigSource.of(Map.of("brownout.guard.OrderServce.quote.bulkhead.maxConcurrentCalls", "3"), "system properties");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      brownout.wrap(OrderService.class, new DefaultOrderService());
      assertThatThrownBy(brownout::checkConfig)
          .hasMessageContaining("brownout.guard.OrderServce.quote.bulkhead.maxConcurrentCalls = 3 (from system properties) sets no guard"
              + " or class built so far; the nearest valid key is brownout.guard.OrderService.quote.bulkhead.maxConcurrentCalls");
    }
  }

  @Test
  void aSystemPropertyTheConfigDoesNotReadFailsTheBuild() {
    System.setProperty("brownout.guard.OrderService.quote.timeout.duration", "2s");
    try {
      assertThatThrownBy(() -> Brownout.builder().build())
          .hasMessageContaining("system property brownout.guard.OrderService.quote.timeout.duration = 2s is not read")
          .hasMessageContaining("add .config(ConfigSource.systemProperties()) to Brownout.builder()");
    } finally {
      System.clearProperty("brownout.guard.OrderService.quote.timeout.duration");
    }
  }
}
