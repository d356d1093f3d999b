package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.DeadlineExceededException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attributes a MicroProfile Fault Tolerance user writes first: {@code @Retry(abortOn)} and
 * {@code @Fallback(applyOn, skipOn)}, with abort and skip winning; {@code @Retry(maxDuration)}, the
 * opt-in {@code @Retry(retryOnRejection)}, and the deadline of the whole call,
 * {@code @Timeout(deadline)}. {@link CompileErrorsTest} holds the mistakes among them that the
 * processor refuses.
 */
class MicroProfileAttributesTest {

  static final String FILES =
      """
      package shop;

      import dev.brownout.core.CallNotPermittedException;
      import dev.brownout.core.annotation.CircuitBreaker;
      import dev.brownout.core.annotation.Fallback;
      import dev.brownout.core.annotation.Retry;
      import dev.brownout.core.annotation.Timeout;
      import java.io.FileNotFoundException;
      import java.io.IOException;

      public interface Files {
        @Retry(maxAttempts = 3, waitDuration = "0ms", retryOn = IOException.class, abortOn = FileNotFoundException.class)
        String read(String path) throws IOException;

        @CircuitBreaker
        @Fallback(method = "empty", applyOn = IOException.class, skipOn = FileNotFoundException.class)
        String stat(String path) throws IOException;

        @Timeout(deadline = "100ms")
        @Retry(maxAttempts = 5, waitDuration = "0ms", maxDuration = "10s")
        String fetch(String path) throws IOException;

        @CircuitBreaker
        @Retry(maxAttempts = 2, waitDuration = "0ms", retryOnRejection = CallNotPermittedException.class)
        String probe(String path);

        default String empty(String path) {
          return "";
        }
      }
      """;

  private static Compilation compilation;

  @BeforeAll
  static void compile() {
    compilation = Compilation.compile("shop.Files", FILES);
    assertThat(compilation.errors()).isEmpty();
  }

  /** Throws each scripted outcome in turn, counting the calls. */
  static final class Script implements InvocationHandler {
    final ArrayDeque<Throwable> failures = new ArrayDeque<>();
    final CountDownLatch never = new CountDownLatch(1);

    /** Calls that block until {@link #never} opens, counted apart: they run on another thread. */
    final AtomicInteger blocked = new AtomicInteger();

    volatile boolean blocks;
    int calls;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (blocks) {
        blocked.incrementAndGet();
        never.await();
      }
      calls++;
      if (!failures.isEmpty()) {
        throw failures.poll();
      }
      return "content";
    }
  }

  private static Object wrap(Brownout brownout, Script script) throws ClassNotFoundException {
    Class<?> files = compilation.loader().loadClass("shop.Files");
    return Reflective.wrap(
        brownout,
        files,
        Proxy.newProxyInstance(files.getClassLoader(), new Class<?>[] {files}, script));
  }

  @Test
  void theGeneratedClassPassesTheListsOn() throws Exception {
    assertThat(compilation.generated("shop.Guarded_Files"))
        .contains(".exceptions(\"retry\", \"abortOn\", FileNotFoundException.class)")
        .contains(".skipOn(FileNotFoundException.class)");
  }

  @Test
  void theGeneratedClassPassesTheTimeBoundsAndTheOptInOn() throws Exception {
    assertThat(compilation.generated("shop.Guarded_Files"))
        .contains(".set(\"timeout\", \"deadline\", \"100ms\")")
        .contains(".set(\"retry\", \"maxDuration\", \"10s\")")
        .contains(".exceptions(\"retry\", \"retryOnRejection\", CallNotPermittedException.class)");
  }

  @Test
  void theDeadlineEndsTheWholeCall() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object files = wrap(brownout, script);
      script.blocks = true;

      assertThatThrownBy(() -> Reflective.invoke(files, "fetch", "a"))
          .isInstanceOf(DeadlineExceededException.class);
      assertThat(script.blocked).hasValue(1);
      script.never.countDown();
    }
  }

  @Test
  void anAbortOnFailureIsNotRetried() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object files = wrap(brownout, script);
      script.failures.add(new FileNotFoundException("gone"));

      assertThatThrownBy(() -> Reflective.invoke(files, "read", "a"))
          .isInstanceOf(FileNotFoundException.class);
      assertThat(script.calls).isEqualTo(1);
    }
  }

  @Test
  void aRetryOnFailureIsRetried() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object files = wrap(brownout, script);
      script.failures.add(new IOException("busy"));

      assertThat(Reflective.invoke(files, "read", "a")).isEqualTo("content");
      assertThat(script.calls).isEqualTo(2);
    }
  }

  @Test
  void aSkipOnFailureReachesTheCallerAndAnApplyOnOneGetsTheFallback() throws Throwable {
    try (Brownout brownout = Brownout.builder().build()) {
      Script script = new Script();
      Object files = wrap(brownout, script);
      script.failures.add(new FileNotFoundException("gone"));
      script.failures.add(new IOException("busy"));

      assertThatThrownBy(() -> Reflective.invoke(files, "stat", "a"))
          .isInstanceOf(FileNotFoundException.class);
      assertThat(Reflective.invoke(files, "stat", "a")).isEqualTo("");
    }
  }
}
