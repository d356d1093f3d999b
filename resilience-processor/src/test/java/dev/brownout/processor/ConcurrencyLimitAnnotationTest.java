package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConcurrencyLimitedException;
import dev.brownout.core.Limiter;
import dev.brownout.core.LimiterConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code @ConcurrencyLimit}: the guard's attempts share the runtime's limiter of that name, in the
 * named partition; a blank limiter name does not compile, a partition the limiter lacks fails as
 * the class is wrapped, naming the setting.
 */
class ConcurrencyLimitAnnotationTest {

  private static final String STOCK =
      """
      package shop;

      import dev.brownout.core.annotation.ConcurrencyLimit;

      public interface Stock {
        @ConcurrencyLimit(limiter = "inventory-db", partition = "checkout")
        String stock(String sku);
      }
      """;

  @Test
  void anAnnotatedMethodTakesAPermitOfItsPartition() throws Exception {
    Compilation compilation = Compilation.compile("shop.Stock", STOCK);
    assertThat(compilation.errors()).isEmpty();
    try (Brownout brownout = Brownout.builder().build()) {
      Limiter limiter =
          brownout.limiter(
              "inventory-db",
              LimiterConfig.builder()
                  .algorithm(LimiterConfig.Algorithm.FIXED)
                  .limits(1, 1, 1)
                  .partition("checkout", 0.5) // of a limit of 1: no slot guaranteed
                  .build());
      Class<?> stock = compilation.loader().loadClass("shop.Stock");
      AtomicReference<Integer> seen = new AtomicReference<>();
      Object implementation =
          Proxy.newProxyInstance(
              stock.getClassLoader(),
              new Class<?>[] {stock},
              (proxy, m, args) -> {
                seen.set(limiter.partition("checkout").inFlight());
                return "7";
              });
      Object guarded = Reflective.wrap(brownout, stock, implementation);
      Method method = stock.getMethod("stock", String.class);

      assertThat(method.invoke(guarded, "sku-1")).isEqualTo("7");
      assertThat(seen.get()).as("the call's permit is the partition's").isEqualTo(1);
      long held = limiter.tryAcquire();
      assertThatThrownBy(() -> method.invoke(guarded, "sku-1"))
          .hasCauseInstanceOf(ConcurrencyLimitedException.class);
      limiter.onIgnored(held);
      assertThat(brownout.findGuard("Stock.stock").orElseThrow().counts().rejected()).isEqualTo(1);
    }
  }

  @Test
  void aBlankLimiterDoesNotCompileAndAMissingPartitionFailsAsTheClassIsWrapped() throws Exception {
    Compilation blank =
        Compilation.compile(
            "shop.Stock", STOCK.replace("limiter = \"inventory-db\"", "limiter = \" \""));
    assertThat(blank.succeeded()).isFalse();
    assertThat(blank.errors())
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "[BRO-VALUE-001]",
                        "concurrencyLimit.limiter must be a non-blank name, but was ' '"));

    Compilation compilation = Compilation.compile("shop.Stock", STOCK);
    try (Brownout brownout = Brownout.builder().build()) {
      Class<?> stock = compilation.loader().loadClass("shop.Stock");
      Object implementation =
          Proxy.newProxyInstance(
              stock.getClassLoader(), new Class<?>[] {stock}, (proxy, m, args) -> "7");
      assertThatThrownBy(() -> Reflective.wrap(brownout, stock, implementation))
          .hasMessageContaining(
              "concurrencyLimit.partition must be a partition of limiter 'inventory-db', which has [], but was 'checkout'");
    }
  }
}
