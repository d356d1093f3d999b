package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.DeadlineExceededException;
import dev.brownout.core.GuardSpec;
import dev.brownout.demo.docs.AnnotationsPageTest.DefaultOrderService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void theDeadlineAndRetryKeysOfThePageSetTheQuoteServicesGuards(@TempDir Path dir) throws Exception {
    Path settingsFile = dir.resolve("brownout.properties");
    Files.writeString(settingsFile, Snippets.block("docs/configuration.md", "properties", 2), StandardCharsets.UTF_8);
    try (Brownout brownout = Brownout.builder().config(ConfigSource.properties(settingsFile)).build()) {
      QuoteService quotes = brownout.wrap(QuoteService.class, new AnnotationsPageTest.HungQuotes());
      brownout.checkConfig();
      assertThat(quotes.stock("tea")).isEqualTo(7);
    }
    // the guard key wins over the defaults key, and the deadline it sets ends the call
    ConfigSource config = ConfigSource.of(Map.of(
        "brownout.defaults.timeout.deadline", "2s",
        "brownout.guard.QuoteService.quote.timeout.deadline", "300ms"), "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      QuoteService quotes = brownout.wrap(QuoteService.class, new AnnotationsPageTest.HungQuotes());
      assertThatThrownBy(() -> quotes.quote("tea"))
          .isInstanceOf(DeadlineExceededException.class)
          .hasMessageContaining("reached the deadline of the whole call (PT0.3S)");
    }
  }

  @Test
  void keysValidAloneButNotTogetherFailWhenTheGuardIsBuilt() {
    ConfigSource config = ConfigSource.of(Map.of("brownout.guard.QuoteService.stock.retry.maxDuration", "500ms"), "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      assertThatThrownBy(() -> brownout.wrap(QuoteService.class, new AnnotationsPageTest.HungQuotes()))
          .hasMessageContaining("brownout.guard.QuoteService.stock.retry.maxDuration = 500ms")
          .hasMessageContaining("longer than the shortest wait between attempts, PT1S");
    }
  }

  @Test
  void theKeyTableListsEveryAttributeAGuardSpecAccepts() {
    Set<String> accepted = new TreeSet<>();
    for (String policy : listIn(failure(() -> GuardSpec.named("probe").policy("nope")))) {
      for (String attribute : listIn(failure(() -> GuardSpec.named("probe").set(policy, "nope", "1")))) {
        accepted.add(policy + "." + attribute);
      }
    }
    Set<String> table = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([a-zA-Z]+\\.[a-zA-Z]+)` \\|").matcher(Snippets.read(Snippets.ROOT.resolve("docs/configuration.md")));
    while (row.find()) {
      table.add(row.group(1));
    }
    assertThat(accepted).isNotEmpty();
    assertThat(table).containsExactlyInAnyOrderElementsOf(accepted);
  }

  private static String failure(Runnable bad) {
    try {
      bad.run();
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted");
  }

  /** The names in the "[a, b, c]" list at the end of a message. */
  private static Set<String> listIn(String message) {
    String list = message.substring(message.lastIndexOf('[') + 1, message.lastIndexOf(']'));
    return new TreeSet<>(Arrays.asList(list.split(", ")));
  }
}
