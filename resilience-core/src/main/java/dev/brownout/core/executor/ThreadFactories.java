package dev.brownout.core.executor;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread choices of a {@link BoundedExecutor}: named platform threads (the default), or virtual
 * threads on JDK 21 and newer.
 *
 * <p>Virtual threads are found by reflection, so the library still compiles and runs on Java 17. An
 * executor given {@link #virtual()} keeps no pool: it starts a new virtual thread per task, and its
 * bound on running tasks is enforced by its permits alone.
 *
 * <pre>{@code
 * ExecutorConfig config = ExecutorConfig.builder()
 *     .maxRunning(1_000)
 *     .threadFactory(ThreadFactories.virtualAvailable() ? ThreadFactories.virtual() : ThreadFactories.platform("io-"))
 *     .build();
 * }</pre>
 */
public final class ThreadFactories {

  private ThreadFactories() {}

  /**
   * Platform threads named after {@code prefix} and a count from 1 (e.g. {@code io-1}); not
   * daemons.
   */
  public static ThreadFactory platform(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> new Thread(runnable, prefix + count.incrementAndGet());
  }

  /** True if this JVM has virtual threads (JDK 21 and newer). */
  public static boolean virtualAvailable() {
    return Virtual.FACTORY != null;
  }

  /**
   * A factory of virtual threads.
   *
   * @throws UnsupportedOperationException on a JDK without virtual threads (before 21)
   */
  public static ThreadFactory virtual() {
    if (Virtual.FACTORY == null) {
      throw new UnsupportedOperationException(
          "virtual threads need JDK 21 or newer; this is Java "
              + Runtime.version().feature()
              + ": use ThreadFactories.platform(prefix) or leave the threadFactory unset");
    }
    return Virtual.FACTORY;
  }

  /** Whether {@code factory} starts virtual threads, so an executor should not pool them. */
  static boolean isVirtual(ThreadFactory factory) {
    return factory instanceof Virtual;
  }

  /** {@code Thread.ofVirtual().factory()}, reached by reflection. */
  static final class Virtual implements ThreadFactory {
    static final Virtual FACTORY = create();

    private final ThreadFactory delegate;

    private Virtual(ThreadFactory delegate) {
      this.delegate = delegate;
    }

    private static Virtual create() {
      try {
        Method ofVirtual = Thread.class.getMethod("ofVirtual");
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        return new Virtual(
            (ThreadFactory) builder.getMethod("factory").invoke(ofVirtual.invoke(null)));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    @Override
    public Thread newThread(Runnable runnable) {
      return delegate.newThread(runnable);
    }
  }
}
