package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.CallNotPermittedException;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.ConfigSource;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratedClassTest {

  static final String QUOTES =
      """
      package shop;

      import dev.brownout.core.CallNotPermittedException;
      import dev.brownout.core.annotation.Bulkhead;
      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.core.annotation.Fallback;
      import dev.brownout.core.annotation.Retry;
      import dev.brownout.core.annotation.Timeout;
      import java.io.IOException;
      import java.util.List;
      import java.util.concurrent.CompletionStage;

      public interface Quotes {
        @CircuitBreaker(slidingWindowSize = 4, minimumNumberOfCalls = 4, waitDurationInOpenState = "1h")
        @Fallback(method = "cached", on = {CallNotPermittedException.class, IOException.class})
        String quote(String item, int quantity) throws IOException;

        default String cached(String item, int quantity, Exception failure) {
          return "cached " + item + " x" + quantity + " (" + failure.getClass().getSimpleName() + ")";
        }

        @Retry(maxAttempts = 3, waitDuration = "1ms")
        void reserve(String item) throws IOException;

        @Timeout("5s")
        CompletionStage<Integer> stock(String item);

        @CircuitBreaker(name = "listing")
        <T extends Comparable<T>> List<T> sorted(List<T> items);

        long count();

        @Bulkhead
        long size();
      }
      """;

  private static Compilation compilation;

  @BeforeAll
  static void compile() {
    compilation = Compilation.compile("shop.Quotes", QUOTES);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  /** An implementation whose behaviour each test scripts. */
  static final class Script implements InvocationHandler {
    final java.util.ArrayDeque<Object> outcomes = new java.util.ArrayDeque<>();
    int calls;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      calls++;
      Object outcome = outcomes.isEmpty() ? null : outcomes.poll();
      if (outcome instanceof Throwable thrown) {
        throw thrown;
      }
      return switch (method.getName()) {
        case "stock" -> CompletableFuture.completedFuture(7);
        case "sorted" -> args[0];
        case "count" -> 3L;
        default -> outcome;
      };
    }
  }

  private Object wrap(Brownout brownout, Script script) throws ClassNotFoundException {
    Class<?> quotes = compilation.loader().loadClass("shop.Quotes");
    Object implementation =
        Proxy.newProxyInstance(quotes.getClassLoader(), new Class<?>[] {quotes}, script);
    return Reflective.wrap(brownout, quotes, implementation);
  }

  @Test
  void theGeneratedClassHasThePredictableNameAndIsMarkedGenerated() throws Exception {
    String source = compilation.generated("shop.Guarded_Quotes");

    assertThat(source)
        .contains("import javax.annotation.processing.Generated;")
        .contains("@Generated(\"dev.brownout.processor.GuardProcessor\")")
        .contains("public final class Guarded_Quotes implements Quotes")
        .contains("GuardSpec.named(\"Quotes.quote\")")
        .contains("GuardSpec.named(\"listing\")");
  }

  @Test
  void callsWithNoneOrOneParameterAreBuiltOnceAndOnlyAFallbackGetsSeveralArgumentsAsKey()
      throws Exception {
    String source = compilation.generated("shop.Guarded_Quotes");

    assertThat(source)
        .contains("this.sizeTask = () -> delegate.size();")
        .contains("callFor(null, this.sizeTask, null)")
        .contains(
            "callFor(Arrays.asList(item, quantity), () -> delegate.quote(item, quantity), this.quoteFallback)")
        .contains("Guard.KeyedCall<String, Object> reserveTask")
        .containsPattern("this\\.reserveTask = key -> \\{\n\\s+delegate\\.reserve\\(key\\);")
        .contains("<String, Object>callWith(item, this.reserveTask, null)");
  }

  @Test
  void aFailureGoesToTheFallbackWithTheArgumentsAndTheBreakerOpens() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object quotes = wrap(brownout, script);
      for (int i = 0; i < 4; i++) {
        script.outcomes.add(new IOException("down"));
      }

      for (int i = 0; i < 4; i++) {
        assertThat(Reflective.invoke(quotes, "quote", "tea", 2))
            .isEqualTo("cached tea x2 (IOException)");
      }
      assertThat(Reflective.invoke(quotes, "quote", "tea", 3))
          .isEqualTo("cached tea x3 (CallNotPermittedException)");
      assertThat(script.calls).isEqualTo(4);
      assertThat(brownout.findCircuitBreaker("Quotes.quote").orElseThrow().state())
          .isEqualTo(CircuitBreaker.State.OPEN);
    }
  }

  @Test
  void aVoidMethodIsRetriedAndItsCheckedExceptionArrivesUnchanged() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object quotes = wrap(brownout, script);
      script.outcomes.add(new IOException("one"));
      script.outcomes.add(new IOException("two"));
      script.outcomes.add(new IOException("three"));

      assertThatThrownBy(() -> Reflective.invoke(quotes, "reserve", "tea"))
          .isExactlyInstanceOf(IOException.class)
          .hasMessage("three");
      assertThat(script.calls).isEqualTo(3);
    }
  }

  @Test
  void asyncGenericAndUnguardedMethodsDelegate() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Object quotes = wrap(brownout, new Script());

      assertThat(
              ((CompletionStage<?>) Reflective.invoke(quotes, "stock", "tea"))
                  .toCompletableFuture()
                  .join())
          .isEqualTo(7);
      assertThat(Reflective.invoke(quotes, "sorted", List.of(1, 2))).isEqualTo(List.of(1, 2));
      assertThat(Reflective.invoke(quotes, "count")).isEqualTo(3L);
    }
  }

  @Test
  void configurationOverridesAnAnnotationValue() throws Throwable {
    ConfigSource config =
        ConfigSource.of(
            Map.of(
                "brownout.guard.Quotes.quote.circuitBreaker.minimumNumberOfCalls",
                "1",
                "brownout.guard.Quotes.quote.circuitBreaker.slidingWindowSize",
                "1"),
            "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      Script script = new Script();
      Object quotes = wrap(brownout, script);
      script.outcomes.add(new IOException("down"));

      Reflective.invoke(quotes, "quote", "tea", 1);

      assertThat(brownout.findCircuitBreaker("Quotes.quote").orElseThrow().state())
          .isEqualTo(CircuitBreaker.State.OPEN);
    }
  }

  @Test
  void anInvalidOverrideFailsNamingTheKeyTheValueAndTheSource() {
    ConfigSource config =
        ConfigSource.of(
            Map.of("brownout.guard.Quotes.quote.circuitBreaker.failureRateThreshold", "150"),
            "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      assertThatThrownBy(() -> wrap(brownout, new Script()))
          .hasMessageContaining(
              "brownout.guard.Quotes.quote.circuitBreaker.failureRateThreshold = 150 (from test settings)")
          .hasMessageContaining(
              "circuitBreaker.failureRateThreshold must be a percentage in (0, 100], but was 150.0");
    }
  }

  @Test
  void anOverrideForAPolicyTheGuardDoesNotHaveIsRefused() {
    ConfigSource config =
        ConfigSource.of(
            Map.of("brownout.guard.Quotes.quote.timeout.duration", "1s"), "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      assertThatThrownBy(() -> wrap(brownout, new Script()))
          .hasMessageContaining(
              "brownout.guard.Quotes.quote.timeout.duration = 1s (from test settings) sets timeout of guard 'Quotes.quote', which has no timeout policy");
    }
  }

  @Test
  void wrappingATypeWithoutAGeneratedClassSaysHowToAddTheProcessor() {
    try (Brownout brownout = Brownout.builder().build()) {
      assertThatThrownBy(() -> brownout.wrap(Runnable.class, () -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no guarded class java.lang.Guarded_Runnable")
          .hasMessageContaining(
              "add dev.brownout:resilience-processor to the maven-compiler-plugin's <annotationProcessorPaths>");
    }
  }

  @Test
  void anInheritedGenericMethodIsOverriddenWithTheTypeArgumentsOfTheGuardedType() throws Throwable {
    Compilation items =
        Compilation.compile(
            "shop.Repository",
                "package shop;\npublic interface Repository<T> {\n  T find(String... ids);\n}\n",
            "shop.Items",
                "package shop;\n@dev.brownout.core.annotation.Retry\npublic interface Items extends Repository<String> {}\n");
    assertThat(items.errors()).isEmpty();
    assertThat(items.generated("shop.Guarded_Items")).contains("public String find(String... ids)");

    try (Brownout brownout = Brownout.builder().build()) {
      Class<?> type = items.loader().loadClass("shop.Items");
      Object implementation =
          Proxy.newProxyInstance(
              type.getClassLoader(),
              new Class<?>[] {type},
              (proxy, method, args) -> String.join("+", (String[]) args[0]));
      Object wrapped = Reflective.wrap(brownout, type, implementation);

      assertThat(Reflective.invoke(wrapped, "find", (Object) new String[] {"a", "b"}))
          .isEqualTo("a+b");
    }
  }

  @Test
  void aRejectionReachesTheCallerOfAMethodWithoutFallback() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object quotes = wrap(brownout, script);
      brownout.findCircuitBreaker("listing").orElseThrow().forceOpen();

      assertThatThrownBy(() -> Reflective.invoke(quotes, "sorted", List.of(2, 1)))
          .isInstanceOf(CallNotPermittedException.class);
      assertThat(script.calls).isZero();
    }
  }
}
