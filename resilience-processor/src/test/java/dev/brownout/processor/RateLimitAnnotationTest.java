package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.RateLimitedException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code @RateLimit}: generated into the guard's rate limiter, and checked as it compiles. */
class RateLimitAnnotationTest {

  private static final String QUOTES =
      """
      package shop;

      import dev.brownout.core.annotation.RateLimit;

      public interface Quotes {
        @RateLimit(limit = 2, period = "1s", kind = "FIXED_WINDOW")
        String quote(String symbol);
      }
      """;

  @Test
  void anAnnotatedMethodIsHeldToItsRate() throws Exception {
    Compilation compilation = Compilation.compile("shop.Quotes", QUOTES);
    assertThat(compilation.errors()).isEmpty();
    AtomicLong nanos = new AtomicLong();
    try (Brownout brownout = Brownout.builder().ticker(nanos::get).build()) {
      Class<?> quotes = compilation.loader().loadClass("shop.Quotes");
      Object implementation =
          Proxy.newProxyInstance(
              quotes.getClassLoader(), new Class<?>[] {quotes}, (proxy, m, args) -> "42");
      Object guarded = Reflective.wrap(brownout, quotes, implementation);
      Method quote = quotes.getMethod("quote", String.class);

      assertThat(quote.invoke(guarded, "ACME")).isEqualTo("42");
      assertThat(quote.invoke(guarded, "ACME")).isEqualTo("42");
      assertThatThrownBy(() -> quote.invoke(guarded, "ACME"))
          .hasCauseInstanceOf(RateLimitedException.class);
      assertThat(brownout.findGuard("Quotes.quote").orElseThrow().counts().rejected()).isEqualTo(1);
    }
  }

  @Test
  void aRateLimitWithABadLimitOrAnUnknownKindDoesNotCompile() {
    Compilation zero = Compilation.compile("shop.Quotes", QUOTES.replace("limit = 2", "limit = 0"));
    assertThat(zero.succeeded()).isFalse();
    assertThat(zero.errors())
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "[BRO-VALUE-001] invalid limit in @RateLimit: rateLimiter.limit must be at least 1, but was 0"));

    Compilation kind = Compilation.compile("shop.Quotes", QUOTES.replace("FIXED_WINDOW", "BURSTY"));
    assertThat(kind.succeeded()).isFalse();
    assertThat(kind.errors())
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains(
                        "[BRO-VALUE-001]",
                        "rateLimiter.kind must be SMOOTH, FIXED_WINDOW or ROLLING_WINDOW, but was 'BURSTY'"));
  }
}
