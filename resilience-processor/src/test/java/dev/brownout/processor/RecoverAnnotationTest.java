package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Recover} through the generated class: the runtime's {@code Recover} records, the caller
 * gets a value.
 */
class RecoverAnnotationTest {

  static final String ORDERS =
      """
      package shop;

      import dev.brownout.core.CallNotPermittedException;
      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.core.annotation.Fallback;
      import dev.brownout.recover.Incident;
      import dev.brownout.recover.annotation.Recover;
      import java.util.concurrent.CompletionStage;

      public interface Orders {
        @Recover(method = "noQuote")
        String quote(String item);

        default String noQuote(Incident incident) {
          return "no quote (" + incident.throwableClass() + ")";
        }

        @Recover(place = "nightly-export")
        void export();

        @Recover(name = "checkout", method = "noQuote")
        @CircuitBreaker
        @Fallback(method = "offline", on = CallNotPermittedException.class)
        String checkout(String cart);

        default String offline(String cart) {
          return "offline " + cart;
        }

        @Recover(method = "zero")
        CompletionStage<Integer> count();

        default Integer zero() {
          return 0;
        }
      }
      """;

  private static Compilation compilation;

  @BeforeAll
  static void compile() {
    compilation = Compilation.compile("shop.Orders", ORDERS);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  /** An implementation every abstract method of which crashes. */
  private static Object crashing(Brownout brownout) throws ClassNotFoundException {
    Class<?> orders = compilation.loader().loadClass("shop.Orders");
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          if (method.getName().equals("count")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no count"));
          }
          throw new IllegalStateException(method.getName() + " crashed");
        };
    return Reflective.wrap(
        brownout,
        orders,
        Proxy.newProxyInstance(orders.getClassLoader(), new Class<?>[] {orders}, handler));
  }

  private static double incidents(SimpleMeterRegistry registry, String place) {
    Counter counter = registry.find("brownout.recover.incidents").tag("place", place).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aCrashBecomesAnIncidentAtTheGuardNameAndTheCallerGetsTheRecoveryMethodsValue()
      throws Throwable {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Object orders = crashing(brownout);

      assertThat(Reflective.invoke(orders, "quote", "tea"))
          .isEqualTo("no quote (java.lang.IllegalStateException)");
      assertThat(incidents(registry, "Orders.quote")).isEqualTo(1);
    }
  }

  @Test
  void aVoidMethodNeedsNoRecoveryMethodAndRecordsAtItsOwnPlace() throws Throwable {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Object orders = crashing(brownout);

      assertThat(Reflective.invoke(orders, "export")).isNull();
      assertThat(incidents(registry, "nightly-export")).isEqualTo(1);
      assertThat(incidents(registry, "Orders.export")).isZero();
    }
  }

  @Test
  void aRejectionPassesTheRecoveryToTheFallbackAndACrashIsRecoveredOutsideIt() throws Throwable {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Object orders = crashing(brownout);

      assertThat(Reflective.invoke(orders, "checkout", "cart-1"))
          .isEqualTo("no quote (java.lang.IllegalStateException)");
      brownout.findCircuitBreaker("checkout").orElseThrow().forceOpen();
      assertThat(Reflective.invoke(orders, "checkout", "cart-2")).isEqualTo("offline cart-2");
      assertThat(incidents(registry, "checkout")).isEqualTo(1);
    }
  }

  @Test
  void aFailedStageIsRecoveredWithARecoveryMethodThatTakesNoIncident() throws Throwable {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
      Object orders = crashing(brownout);

      CompletionStage<?> count = (CompletionStage<?>) Reflective.invoke(orders, "count");

      assertThat(count.toCompletableFuture().join()).isEqualTo(0);
      assertThat(incidents(registry, "Orders.count")).isEqualTo(1);
    }
  }

  @Test
  void theGeneratedGuardInstallsTheRuntimesRecover() throws Exception {
    assertThat(compilation.generated("shop.Guarded_Orders"))
        .contains(".recovery(Recover.of(brownout).policy(incident -> delegate.noQuote(incident)))")
        .contains(".recovery(Recover.of(brownout).policy(\"nightly-export\", incident -> null))")
        .contains(".recovery(Recover.of(brownout).policy(incident -> delegate.zero()))");
  }
}
