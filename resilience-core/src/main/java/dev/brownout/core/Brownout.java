package dev.brownout.core;

import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.internal.GuardNames;
import dev.brownout.core.internal.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The Brownout runtime: the named guards, circuit breakers and bulkheads of one service, with the
 * clock, the listeners and the meters they report to. Created explicitly, closed when the service
 * stops; there are no hidden globals, so two runtimes in one JVM (or one per test) never interfere.
 *
 * <pre>{@code
 * try (Brownout brownout = Brownout.builder().meterRegistry(registry).build()) {
 *   Guard payments = brownout.guard("payments")
 *       .circuitBreaker(CircuitBreakerConfig.ofDefaults())
 *       .build();
 *   Receipt receipt = payments.call(() -> gateway.charge(order));
 * }
 * }</pre>
 *
 * <p>Names are identities: asking twice for the breaker or bulkhead named {@code "payments"} gives
 * the same instance, so two guards can share one breaker.
 */
public final class Brownout implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Brownout.class);

  private final Ticker ticker;
  private final ConfigSource config;
  private final ConfigKeys configKeys;
  private final Telemetry telemetry;
  private final BrownoutMetrics metrics;
  private final Map<String, Guard> guards = new ConcurrentHashMap<>();
  private final NamedParts<CircuitBreaker> breakers = new NamedParts<>("circuit breaker");
  private final NamedParts<Bulkhead> bulkheads = new NamedParts<>("bulkhead");
  private final NamedParts<Limiter> limiters = new NamedParts<>("limiter");
  private final Map<Class<?>, Object> components = new ConcurrentHashMap<>();
  private final Map<String, BoundedExecutor> executors = new ConcurrentHashMap<>();
  private final Object executorLock = new Object();

  /** Interrupts synchronous calls that run past their timeout, on their own threads. */
  private final RuntimeTimer timer = new RuntimeTimer("brownout-timer");

  /**
   * What breakers, time windows and budgets read: the timer's coarse clock, or a test's own ticker.
   */
  private final Ticker clock;

  private RuntimeScheduler scheduler;
  private volatile boolean closed;
  private final Map<GuardCore, Boolean> cores = new java.util.WeakHashMap<>();

  // Identity on purpose: only the system ticker's one instance reads the timer's coarse clock.
  @SuppressWarnings("ReferenceEquality")
  private Brownout(Builder b) {
    this.ticker = b.ticker;
    this.clock = b.ticker == Ticker.system() ? timer.clock : b.ticker;
    this.config = b.config;
    this.configKeys = new ConfigKeys(b.config);
    configKeys.checkAtBuild(System.getProperties(), System.getenv());
    this.metrics = new BrownoutMetrics();
    this.telemetry = new Telemetry(b.listeners, metrics);
    for (MeterRegistry registry : b.registries) {
      metrics.bindTo(registry);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts a guard named {@code name}; {@link Guard.Builder#build()} registers it. */
  public Guard.Builder guard(String name) {
    Settings.name("guard.name", name);
    if (guards.containsKey(name)) {
      throw new IllegalStateException(
          "guard '" + name + "' is already defined; look it up with findGuard");
    }
    return Guard.builder(this, name, name, null);
  }

  /** The guard registered under {@code name}, if any. */
  public Optional<Guard> findGuard(String name) {
    return Optional.ofNullable(guards.get(name));
  }

  public Collection<Guard> guards() {
    return List.copyOf(guards.values());
  }

  /** Guards per key, built from {@code template}, at most {@code maximumKeys} at a time. */
  public <K> KeyedGuards<K> keyedGuards(
      String name,
      long maximumKeys,
      Duration expireAfterAccess,
      UnaryOperator<Guard.Builder> template) {
    Settings.name("keyedGuards.name", name);
    CallStats stats = new CallStats();
    KeyedGuards<K> keyed =
        new KeyedGuards<>(this, name, maximumKeys, expireAfterAccess, template, stats);
    metrics.guard(name, stats);
    return keyed;
  }

  /** The classic breaker named {@code name}, created with Resilience4j's defaults if it is new. */
  public CircuitBreaker circuitBreaker(String name) {
    return breakers
        .find(name)
        .orElseGet(() -> circuitBreaker(name, CircuitBreakerConfig.ofDefaults()));
  }

  /**
   * The classic breaker named {@code name}; created if new, else the existing one, which must have
   * been created with this same config.
   */
  public CircuitBreaker circuitBreaker(String name, CircuitBreakerConfig config) {
    Settings.name("circuitBreaker.name", name);
    Settings.notNull("circuitBreaker.config", config);
    return named(
        name,
        config,
        () -> new ClassicCircuitBreaker(name, name, config, ticker, clock, telemetry));
  }

  /** The adaptive breaker named {@code name}; created if new, else the existing one. */
  public CircuitBreaker adaptiveCircuitBreaker(String name, AdaptiveBreakerConfig config) {
    Settings.name("circuitBreaker.name", name);
    Settings.notNull("adaptiveCircuitBreaker.config", config);
    return named(
        name, config, () -> new AdaptiveCircuitBreaker(name, name, config, clock, telemetry));
  }

  /** The breaker registered under {@code name}, if any. */
  public Optional<CircuitBreaker> findCircuitBreaker(String name) {
    return breakers.find(name);
  }

  public Collection<CircuitBreaker> circuitBreakers() {
    return breakers.all();
  }

  /** The bulkhead named {@code name}; created if new, else the existing one (same config). */
  public Bulkhead bulkhead(String name, BulkheadConfig config) {
    Settings.name("bulkhead.name", name);
    Settings.notNull("bulkhead.config", config);
    return bulkheads.get(name, config, () -> new Bulkhead(name, config), metrics::bulkhead);
  }

  public Collection<Bulkhead> bulkheads() {
    return bulkheads.all();
  }

  /**
   * The adaptive concurrency limiter named {@code name}; created (and its meters bound) if new,
   * else the existing one, which must have this same config.
   */
  public Limiter limiter(String name, LimiterConfig config) {
    Settings.name("limiter.name", name);
    Settings.notNull("limiter.config", config);
    return limiters.get(
        name, config, () -> new Limiter(name, config, ticker, clock), metrics::limiter);
  }

  /**
   * The adaptive concurrency limiter named {@code name} with {@link LimiterConfig#ofDefaults()}, if
   * new.
   */
  public Limiter limiter(String name) {
    return limiters.find(name).orElseGet(() -> limiter(name, LimiterConfig.ofDefaults()));
  }

  public Collection<Limiter> limiters() {
    return limiters.all();
  }

  /**
   * The bounded executor named {@code name}; created (and its meters bound) if new, else the
   * existing one, which must have this same config. {@link #close()} drains it.
   */
  public BoundedExecutor executor(String name, ExecutorConfig config) {
    Settings.name("executor.name", name);
    Settings.notNull("executor.config", config);
    synchronized (executors) {
      checkOpen();
      BoundedExecutor existing = executors.get(name);
      if (existing != null) {
        if (!existing.config().equals(config)) {
          throw new IllegalArgumentException(
              "executor '"
                  + name
                  + "' already exists with a different config; share the instance or pick another name");
        }
        return existing;
      }
      BoundedExecutor executor = BoundedExecutor.of(name, config);
      executors.put(name, executor);
      bindMeters(executor.metrics());
      return executor;
    }
  }

  public Collection<BoundedExecutor> executors() {
    return List.copyOf(executors.values());
  }

  /**
   * The runtime's one instance of a component from another module (the features of {@code
   * degradation}, say), created by {@code factory} on first use. This is how modules that build on
   * the core attach per-runtime state without the core depending on them.
   */
  public <E> E component(Class<E> type, Function<Brownout, ? extends E> factory) {
    Settings.notNull("component.type", type);
    Settings.notNull("component.factory", factory);
    Object existing = components.get(type);
    if (existing == null) {
      synchronized (components) {
        existing = components.get(type);
        if (existing == null) {
          existing = Settings.notNull("component " + type.getName(), factory.apply(this));
          components.put(type, existing);
        }
      }
    }
    return type.cast(existing);
  }

  /**
   * Binds {@code binder}, the meters of another module's component, to every registry this runtime
   * is bound to, now and later, so that a component never has to be handed the registry itself.
   */
  public void bindMeters(MeterBinder binder) {
    metrics.binder(Settings.notNull("bindMeters.binder", binder));
  }

  /** The runtime's meters, for binding to a registry that was not given to the builder. */
  public MeterBinder metrics() {
    return metrics;
  }

  public Ticker ticker() {
    return ticker;
  }

  /** Where settings that override the code come from ({@link ConfigSource#none()} by default). */
  public ConfigSource config() {
    return config;
  }

  /**
   * Fails, naming each key and the nearest valid one, if a key under {@code brownout.guard.} or
   * {@code brownout.defaults.} sets nothing in the guards built so far (from annotations or a
   * {@link GuardSpec}): a misspelt guard, class, policy or attribute. Call it once the application
   * has built its guards (wrapped its annotated objects), for example when the application context
   * has been refreshed; keys that are wrong whatever guards exist already failed {@link
   * Builder#build()}.
   *
   * @throws IllegalArgumentException listing every key that sets nothing
   */
  public void checkConfig() {
    configKeys.checkAll(guards.keySet());
  }

  /**
   * The generated guarded class for {@code type}, wrapping {@code implementation}: the way to use a
   * type whose methods carry Brownout's annotations.
   *
   * <pre>{@code
   * OrderService orders = brownout.wrap(OrderService.class, new DefaultOrderService());
   * }</pre>
   *
   * @throws IllegalStateException if no guarded class was generated for {@code type}, which means
   *     the annotation processor did not run; the message says how to add it
   */
  public <T> T wrap(Class<T> type, T implementation) {
    Settings.notNull("wrap.type", type);
    Settings.notNull("wrap.implementation", implementation);
    String generated = generatedClassName(type);
    Class<?> guarded;
    try {
      guarded = Class.forName(generated, true, type.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "no guarded class "
              + generated
              + " was generated for "
              + type.getName()
              + ": add dev.brownout:resilience-processor to the maven-compiler-plugin's"
              + " <annotationProcessorPaths> with maven-compiler-plugin 3.13.0 or newer named in the pom;"
              + " older plugins (Maven 3.8 picks 3.1 when the pom names none) ignore <annotationProcessorPaths>"
              + " and compile without running it (Gradle: annotationProcessor"
              + " \"dev.brownout:resilience-processor\"; see docs/annotations.md). Check too that "
              + type.getSimpleName()
              + " carries a Brownout annotation",
          e);
    }
    try {
      return type.cast(
          guarded.getConstructor(Brownout.class, type).newInstance(this, implementation));
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("creating " + generated + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          generated + " does not have the generated constructor; recompile " + type.getName(), e);
    }
  }

  /** {@code a.b.Outer$Inner} → {@code a.b.Guarded_Outer_Inner}: the rule of {@link GuardNames}. */
  static String generatedClassName(Class<?> type) {
    return GuardNames.generatedClassName(type.getName());
  }

  /**
   * Drains the runtime's executors (intake stops on all of them first, so they drain together; then
   * each is waited for, up to its {@code drainTimeout}), closes the components that can be closed
   * (the features' refresh, say), then stops the timer and the scheduler (async attempts still
   * armed or waiting to retry end as closed); guards fail after this.
   */
  @Override
  public void close() {
    synchronized (executors) {
      closed = true;
    }
    closeCores();
    for (BoundedExecutor executor : executors.values()) {
      executor.shutdown();
    }
    for (BoundedExecutor executor : executors.values()) {
      executor.shutdown(executor.config().drainTimeout());
    }
    for (Object component : components.values()) {
      if (component instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("component {} failed to close", component.getClass().getName(), e);
        }
      }
    }
    timer.stop();
    synchronized (executorLock) {
      if (scheduler != null) {
        // What never ran are async calls' retry waits and attempt timers: each ends its call now
        // (as
        // closed), so that no caller's stage is left pending and no permit held.
        scheduler.shutdownAndRunPending();
      }
    }
  }

  // ---- package-private: what guards need from their runtime

  /**
   * Tells {@code core} when this runtime closes (at once, if it has). Each guard keeps its own
   * flag, read on every call from the object the call already reads, rather than one flag here
   * behind another dependent load; weakly held, so an evicted per-key guard is not kept.
   */
  void track(GuardCore core) {
    synchronized (cores) {
      if (closed) {
        core.close();
      } else {
        cores.put(core, Boolean.TRUE);
      }
    }
  }

  private void closeCores() {
    synchronized (cores) {
      for (GuardCore core : cores.keySet()) {
        core.close();
      }
      cores.clear();
    }
  }

  Telemetry telemetry() {
    return telemetry;
  }

  ConfigKeys configKeys() {
    return configKeys;
  }

  /**
   * Fails if a key under {@code className} sets no guard of the class built so far, nor the class.
   */
  void checkClassKeys(String className) {
    configKeys.checkClass(className, guards.keySet());
  }

  void register(Guard guard, CallStats stats) {
    if (guards.putIfAbsent(guard.name(), guard) != null) {
      throw new IllegalStateException(
          "guard '" + guard.name() + "' is already defined; look it up with findGuard");
    }
    metrics.guard(guard.name(), stats);
  }

  /** A breaker for a per-key guard: not registered by name, counted under its family. */
  CircuitBreaker detachedBreaker(String name, String family, CircuitBreakerConfig config) {
    return new ClassicCircuitBreaker(name, family, config, ticker, clock, telemetry);
  }

  CircuitBreaker detachedAdaptiveBreaker(String name, String family, AdaptiveBreakerConfig config) {
    return new AdaptiveCircuitBreaker(name, family, config, clock, telemetry);
  }

  /**
   * The clock of OPEN states, time windows, retry budgets and slow calls (see {@link CoarseClock}).
   */
  Ticker clock() {
    return clock;
  }

  /**
   * How far {@link #clock()} may lag the precise ticker: one tick of the timer for its coarse
   * clock, none for a test's own ticker (which is both).
   */
  // Identity on purpose, as in the constructor.
  @SuppressWarnings("ReferenceEquality")
  long clockTickNanos() {
    return clock == timer.clock ? RuntimeTimer.TICK_NANOS : 0L;
  }

  /** The timer of synchronous calls with a timeout or a deadline that run in place. */
  RuntimeTimer timer() {
    return timer;
  }

  /** Fires async timeouts and schedules async retries. */
  ScheduledExecutorService scheduler() {
    synchronized (executorLock) {
      checkOpen();
      if (scheduler == null) {
        scheduler = new RuntimeScheduler(daemonThreads("brownout-scheduler-"));
      }
      return scheduler;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this Brownout runtime is closed");
    }
  }

  interface Factory {
    CircuitBreaker create();
  }

  /**
   * The breaker registered under {@code name}, created by {@code factory} if new; an existing one
   * must have been registered with an equal {@code config}.
   */
  CircuitBreaker named(String name, Object config, Factory factory) {
    return breakers.get(name, config, factory::create, metrics::breaker);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Builds a {@link Brownout} runtime. */
  public static final class Builder {
    private Ticker ticker = Ticker.system();
    private ConfigSource config = ConfigSource.none();
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final List<BrownoutListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The time source of every policy; tests pass a hand-driven one. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Settings.notNull("brownout.ticker", ticker);
      return this;
    }

    /** Settings that override the code, e.g. {@code ConfigSource.systemProperties()}. */
    public Builder config(ConfigSource config) {
      this.config = Settings.notNull("brownout.config", config);
      return this;
    }

    /** Binds the runtime's meters to {@code registry}. */
    public Builder meterRegistry(MeterRegistry registry) {
      registries.add(Settings.notNull("brownout.meterRegistry", registry));
      return this;
    }

    public Builder listener(BrownoutListener listener) {
      listeners.add(Settings.notNull("brownout.listener", listener));
      return this;
    }

    /**
     * The runtime. Fails if a configuration key cannot be a setting whatever guards are built
     * later, or if a {@code brownout.guard.}, {@code brownout.defaults.} or {@code
     * brownout.features.} system property or environment variable is present while {@link #config}
     * does not read it, naming it.
     */
    public Brownout build() {
      return new Brownout(this);
    }
  }
}
