package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallTimeoutException;
import dev.brownout.core.Guard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every annotation on a type applies to each of its public methods: abstract and default methods of
 * an interface, public methods of a class; the methods named as fallbacks or recovery methods
 * answer for the others and stay unguarded; an annotation on a method wins over the type's.
 */
class TypeLevelAnnotationsTest {

  private static final String HEADER =
      """
      package shop;

      import dev.brownout.core.annotation.*;
      import dev.brownout.recover.annotation.Recover;

      """;

  private static Compilation compilation;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final CountDownLatch never = new CountDownLatch(1);

  @BeforeAll
  static void compile() {
    compilation =
        Compilation.compile(
            "shop.Breakers",
                HEADER
                    + """
            @CircuitBreaker @Fallback(method = "fallback")
            public interface Breakers {
              String first(String id);
              String second(String id);
              default String third(String id) { return "third " + id; }
              default String fallback(String id, Exception failure) { return "fallback " + id; }
            }
            """,
            "shop.Bulkheads",
                HEADER
                    + """
            @Bulkhead(maxConcurrentCalls = 3)
            public class Bulkheads {
              public String first() { return "first"; }
              public String second() { return "second"; }
              protected String notPublic() { return "protected"; }
            }
            """,
            "shop.Retries",
                HEADER
                    + """
            @Retry(maxAttempts = 2, waitDuration = "1ms")
            public interface Retries {
              String first();
              @Retry(maxAttempts = 3, waitDuration = "1ms")
              String second();
            }
            """,
            "shop.Timeouts",
                HEADER
                    + """
            @Timeout("20ms")
            public interface Timeouts {
              String first();
              String second();
            }
            """,
            "shop.Recovered",
                HEADER
                    + """
            @Recover
            public interface Recovered {
              void first();
              void second();
            }
            """);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  @AfterEach
  void close() {
    never.countDown();
    brownout.close();
  }

  /**
   * An implementation of {@code name} whose abstract methods fail (or block, or succeed) as {@code
   * behaviour} says.
   */
  private Object implementation(String name, String behaviour) throws Exception {
    Class<?> type = compilation.loader().loadClass(name);
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          int call =
              calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
          switch (behaviour) {
            case "fail" -> throw new IllegalStateException(method.getName() + " failed");
            case "block" -> never.await();
            case "fail-then-succeed" -> {
              if (call < 3) {
                throw new IllegalStateException(method.getName() + " failed");
              }
            }
            default -> {}
          }
          return method.getReturnType() == void.class ? null : method.getName();
        };
    return Reflective.wrap(
        brownout,
        type,
        Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private Guard guard(String name) {
    return brownout
        .findGuard(name)
        .orElseThrow(() -> new AssertionError("no guard " + name + " among " + brownout.guards()));
  }

  @Test
  void aBreakerAndFallbackOnAnInterfaceGuardEveryMethodButTheFallback() throws Throwable {
    Object breakers = implementation("shop.Breakers", "fail");

    assertThat(Reflective.invoke(breakers, "first", "a")).isEqualTo("fallback a");
    assertThat(Reflective.invoke(breakers, "second", "b")).isEqualTo("fallback b");
    assertThat(Reflective.invoke(breakers, "third", "c")).isEqualTo("third c");
    for (String method : new String[] {"first", "second", "third"}) {
      assertThat(guard("Breakers." + method).circuitBreaker()).as(method).isPresent();
    }
    assertThat(guard("Breakers.first").counts().fallback()).isEqualTo(1);
    assertThat(brownout.findGuard("Breakers.fallback")).isEmpty();
  }

  @Test
  void aBulkheadOnAClassGuardsEveryPublicMethod() throws Throwable {
    Class<?> type = compilation.loader().loadClass("shop.Bulkheads");
    Object bulkheads = Reflective.wrap(brownout, type, type.getDeclaredConstructor().newInstance());

    assertThat(Reflective.invoke(bulkheads, "first")).isEqualTo("first");
    assertThat(Reflective.invoke(bulkheads, "second")).isEqualTo("second");
    assertThat(guard("Bulkheads.first").bulkhead())
        .hasValueSatisfying(b -> assertThat(b.maxConcurrentCalls()).isEqualTo(3));
    assertThat(guard("Bulkheads.second").bulkhead())
        .hasValueSatisfying(b -> assertThat(b.maxConcurrentCalls()).isEqualTo(3));
    assertThat(brownout.findGuard("Bulkheads.notPublic")).isEmpty();
  }

  @Test
  void aRetryOnATypeRetriesEveryMethodAndAMethodsOwnRetryWins() throws Throwable {
    Object retries = implementation("shop.Retries", "fail-then-succeed");

    assertThatThrownBy(() -> Reflective.invoke(retries, "first"))
        .isInstanceOf(IllegalStateException.class);
    assertThat(Reflective.invoke(retries, "second")).isEqualTo("second");
    assertThat(calls.get("first")).hasValue(2);
    assertThat(calls.get("second")).hasValue(3);
  }

  @Test
  void aTimeoutOnATypeFreesTheCallersOfEveryMethod() throws Exception {
    Object timeouts = implementation("shop.Timeouts", "block");

    assertThatThrownBy(() -> Reflective.invoke(timeouts, "first"))
        .isInstanceOf(CallTimeoutException.class);
    assertThatThrownBy(() -> Reflective.invoke(timeouts, "second"))
        .isInstanceOf(CallTimeoutException.class);
    assertThat(guard("Timeouts.first").counts().timeout()).isEqualTo(1);
    assertThat(guard("Timeouts.second").counts().timeout()).isEqualTo(1);
  }

  @Test
  void aRecoverOnATypeRecoversEveryMethodAtItsOwnGuardName() throws Throwable {
    Object recovered = implementation("shop.Recovered", "fail");

    Reflective.invoke(recovered, "first");
    Reflective.invoke(recovered, "second");

    for (String place : new String[] {"Recovered.first", "Recovered.second"}) {
      assertThat(registry.find("brownout.recover.incidents").tag("place", place).counter())
          .as(place)
          .isNotNull()
          .satisfies(counter -> assertThat(counter.count()).isEqualTo(1));
    }
  }
}
