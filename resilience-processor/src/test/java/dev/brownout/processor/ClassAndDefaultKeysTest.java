package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.internal.GuardNames;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, finding 4, for annotated guards: a method key wins over the class's key, which wins
 * over the default key, which wins over the annotation; a key under the class's name that sets none
 * of its guards fails when the class is wrapped, and a key that names no class fails {@link
 * Brownout#checkConfig()}, each naming the nearest valid key.
 */
class ClassAndDefaultKeysTest {

  static final String ORDERS =
      """
      package shop;

      import dev.brownout.core.annotation.Bulkhead;
      import dev.brownout.core.annotation.Timeout;

      public interface Orders {
        @Bulkhead(maxConcurrentCalls = 10)
        String place(String item);

        @Bulkhead(maxConcurrentCalls = 10)
        String cancel(String item);

        @Bulkhead(name = "lookup", maxConcurrentCalls = 10)
        String status(String id);

        @Timeout("1s")
        String track(String id);
      }
      """;

  private static Compilation compilation;

  @BeforeAll
  static void compile() {
    compilation = Compilation.compile("shop.Orders", ORDERS);
    assertThat(compilation.errors()).isEmpty();
  }

  private static Brownout runtime(Map<String, String> settings) {
    return Brownout.builder().config(ConfigSource.of(settings, "test settings")).build();
  }

  private static void wrap(Brownout brownout) throws ClassNotFoundException {
    Class<?> orders = compilation.loader().loadClass("shop.Orders");
    Object implementation =
        Proxy.newProxyInstance(
            orders.getClassLoader(), new Class<?>[] {orders}, (proxy, method, args) -> "ok");
    Reflective.wrap(brownout, orders, implementation);
  }

  private static int maxConcurrentCalls(Brownout brownout, String guard) {
    return brownout.findGuard(guard).orElseThrow().bulkhead().orElseThrow().maxConcurrentCalls();
  }

  @Test
  void theGeneratedClassNamesItsClassForTheClassKeys() throws Exception {
    assertThat(compilation.generated("shop.Guarded_Orders"))
        .contains("GuardSpec.named(\"Orders.place\")\n        .inClass(\"Orders\")")
        .contains("GuardSpec.checkClassKeys(brownout, \"Orders\");");
  }

  @Test
  void aClassKeySetsEveryGuardOfTheClassEvenOneWithItsOwnName() throws Exception {
    try (Brownout brownout =
        runtime(
            Map.of(GuardNames.classConfigKey("Orders", "bulkhead", "maxConcurrentCalls"), "4"))) {
      wrap(brownout);

      assertThat(maxConcurrentCalls(brownout, "Orders.place")).isEqualTo(4);
      assertThat(maxConcurrentCalls(brownout, "Orders.cancel")).isEqualTo(4);
      assertThat(maxConcurrentCalls(brownout, "lookup")).isEqualTo(4);
    }
  }

  @Test
  void methodKeyThenClassKeyThenDefaultKeyThenAnnotation() throws Exception {
    Map<String, String> settings =
        Map.of(
            GuardNames.configKey("Orders.place", "bulkhead", "maxConcurrentCalls"), "2",
            GuardNames.classConfigKey("Orders", "bulkhead", "maxConcurrentCalls"), "4",
            GuardNames.defaultConfigKey("bulkhead", "maxConcurrentCalls"), "6");
    try (Brownout brownout = runtime(settings)) {
      wrap(brownout);

      assertThat(maxConcurrentCalls(brownout, "Orders.place")).isEqualTo(2);
      assertThat(maxConcurrentCalls(brownout, "Orders.cancel")).isEqualTo(4);
    }
    try (Brownout brownout =
        runtime(Map.of(GuardNames.defaultConfigKey("bulkhead", "maxConcurrentCalls"), "6"))) {
      wrap(brownout);

      assertThat(maxConcurrentCalls(brownout, "Orders.place")).isEqualTo(6);
    }
    try (Brownout brownout = runtime(Map.of())) {
      wrap(brownout);

      assertThat(maxConcurrentCalls(brownout, "Orders.place")).isEqualTo(10);
    }
  }

  @Test
  void aKeyForAMisspeltMethodFailsWhenTheClassIsWrappedNamingTheNearestKey() {
    try (Brownout brownout =
        runtime(Map.of("brownout.guard.Orders.plcae.bulkhead.maxConcurrentCalls", "3"))) {
      assertThatThrownBy(() -> wrap(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "brownout.guard.Orders.plcae.bulkhead.maxConcurrentCalls = 3 (from test settings) sets no guard or class"
                  + " built so far; the nearest valid key is brownout.guard.Orders.place.bulkhead.maxConcurrentCalls");
    }
  }

  @Test
  void aClassKeyForAPolicyNoneOfItsGuardsHasFailsWhenTheClassIsWrapped() {
    try (Brownout brownout = runtime(Map.of("brownout.guard.Orders.retry.maxAttempts", "5"))) {
      assertThatThrownBy(() -> wrap(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(
              "brownout.guard.Orders.retry.maxAttempts = 5 (from test settings) sets no guard or class built so far");
    }
  }

  @Test
  void aKeyForAMisspeltClassFailsTheConfigCheckNamingTheNearestKey() throws Exception {
    try (Brownout brownout = runtime(Map.of("brownout.guard.Ordres.timeout.duration", "2s"))) {
      wrap(brownout);

      assertThatThrownBy(brownout::checkConfig)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "brownout.guard.Ordres.timeout.duration = 2s (from test settings) sets no guard or class built so far;"
                  + " the nearest valid key is brownout.guard.Orders.timeout.duration");
    }
  }

  @Test
  void everyKeyOfTheClassItsGuardsAndTheDefaultsPassesTheConfigCheck() throws Exception {
    Map<String, String> settings =
        Map.of(
            GuardNames.configKey("Orders.track", "timeout", "duration"), "2s",
            GuardNames.configKey("lookup", "bulkhead", "maxWaitDuration"), "5ms",
            GuardNames.classConfigKey("Orders", "timeout", "duration"), "3s",
            GuardNames.defaultConfigKey("retry", "maxAttempts"), "2");
    try (Brownout brownout = runtime(settings)) {
      wrap(brownout);

      assertThatCode(brownout::checkConfig).doesNotThrowAnyException();
    }
  }
}
