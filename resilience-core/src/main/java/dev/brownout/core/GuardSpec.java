package dev.brownout.core;

import dev.brownout.core.internal.Durations;
import dev.brownout.core.internal.GuardNames;
import dev.brownout.core.internal.Settings;
import dev.brownout.core.spi.Admission;
import dev.brownout.core.spi.Recovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A guard described by text, as annotations describe it: policies and their attributes, each value
 * written the way a user writes it ({@code "50"}, {@code "30s"}). The annotation processor checks
 * values with {@link #check} while the code compiles, and generated classes build their guards with
 * {@link #build}, which lays the runtime's configuration over the annotation's values. One parser
 * and one set of rules serve annotations and configuration alike.
 *
 * <pre>{@code
 * Guard guard = GuardSpec.named("OrderService.place")
 *     .set("circuitBreaker", "failureRateThreshold", "50")
 *     .set("timeout", "duration", "300ms")
 *     .build(brownout);
 * }</pre>
 *
 * <p>Configuration keys are {@code brownout.guard.<guard>.<policy>.<attribute>}, then the class's
 * {@code brownout.guard.<Class>.<policy>.<attribute>} ({@link #inClass}), then {@code
 * brownout.defaults.<policy>.<attribute>}, the most specific winning. A key for a policy the guard
 * does not have, or for an attribute the policy does not know, fails with the key named:
 * configuration is never silently ignored (see {@link Brownout#checkConfig()} for keys that name no
 * guard at all).
 */
public final class GuardSpec {

  /** The policies and the attributes each one takes from text. */
  private static final Map<String, Set<String>> ATTRIBUTES =
      Map.of(
          "circuitBreaker",
              Set.of(
                  "failureRateThreshold",
                  "slowCallRateThreshold",
                  "slowCallDurationThreshold",
                  "slidingWindowType",
                  "slidingWindowSize",
                  "minimumNumberOfCalls",
                  "waitDurationInOpenState",
                  "permittedNumberOfCallsInHalfOpenState"),
          "bulkhead", Set.of("maxConcurrentCalls", "maxWaitDuration"),
          "rateLimiter", Set.of("limit", "period", "kind", "permitsPerCall", "maxWaitDuration"),
          "concurrencyLimit", Set.of("limiter", "partition"),
          "timeout", Set.of("duration", "deadline"),
          "retry",
              Set.of(
                  "maxAttempts",
                  "waitDuration",
                  "budgetRatio",
                  "minRetriesPerSecond",
                  "maxDuration",
                  "retryOnRejection"));

  /** The policies' lists of exception types, set with {@link #exceptions}. */
  private static final Set<String> EXCEPTION_LISTS =
      Set.of(
          "circuitBreaker.recordExceptions",
          "circuitBreaker.ignoreExceptions",
          "retry.retryOn",
          "retry.abortOn",
          "retry.retryOnRejection");

  private final String name;
  private final Map<String, Map<String, String>> values = new LinkedHashMap<>();
  private final Map<String, List<Class<? extends Throwable>>> exceptions = new LinkedHashMap<>();
  private Recovery recovery;
  private Admission admission;
  private String inClass;

  private GuardSpec(String name) {
    this.name = Settings.name("guard.name", name);
  }

  /** A spec for the guard named {@code name}. */
  public static GuardSpec named(String name) {
    return new GuardSpec(name);
  }

  /**
   * The class whose keys ({@code brownout.guard.<className>.<policy>.<attribute>}) this guard also
   * reads, under its own keys and over the defaults; generated classes pass the annotated class's
   * simple name.
   */
  public GuardSpec inClass(String className) {
    this.inClass = Settings.name("guard.inClass", className);
    return this;
  }

  /** Adds {@code policy} with its defaults. */
  public GuardSpec policy(String policy) {
    values.computeIfAbsent(known(policy), p -> new LinkedHashMap<>());
    return this;
  }

  /** Adds {@code policy} (if absent) and sets one attribute from text. */
  public GuardSpec set(String policy, String attribute, String value) {
    policy(policy);
    values.get(policy).put(knownAttribute(policy, attribute), value);
    return this;
  }

  /**
   * Sets the exception types of a policy: {@code circuitBreaker.recordExceptions}, {@code
   * circuitBreaker.ignoreExceptions}, {@code retry.retryOn}, {@code retry.abortOn}, {@code
   * retry.retryOnRejection} (rejection types only, which a {@code retryOnRejection} key's list of
   * class names replaces).
   */
  @SafeVarargs
  public final GuardSpec exceptions(
      String policy, String attribute, Class<? extends Throwable>... types) {
    policy(policy);
    String key = policy + "." + attribute;
    if (!EXCEPTION_LISTS.contains(key)) {
      throw Settings.invalid("guard.exceptions", key, "must be one of " + EXCEPTION_LISTS);
    }
    List<Class<? extends Throwable>> list = new ArrayList<>();
    for (Class<? extends Throwable> type : types) {
      list.add(Settings.notNull(key, type));
    }
    exceptions.put(key, list);
    return this;
  }

  /**
   * Installs a recovery policy (outermost) from another module; not described by text, so not
   * overridden by configuration.
   */
  public GuardSpec recovery(Recovery recovery) {
    this.recovery = Settings.notNull("guard.recovery", recovery);
    return this;
  }

  /**
   * Installs an admission policy (the feature switch, next to recovery) from another module; not
   * described by text, so not overridden by configuration.
   */
  public GuardSpec admission(Admission admission) {
    this.admission = Settings.notNull("guard.admission", admission);
    return this;
  }

  /**
   * Why {@code value} is not valid for {@code policy.attribute}, or empty if it is: the same rules
   * {@link #build} applies, for the processor to report while the code compiles.
   */
  public static Optional<String> check(String policy, String attribute, String value) {
    return check(policy, Map.of(attribute, value));
  }

  /**
   * Why the attributes {@code values} of {@code policy}, taken together, are not valid (a retry's
   * {@code maxDuration} no longer than its {@code waitDuration}, a timeout with neither a duration
   * nor a deadline), or empty if they are: the processor's check of one whole annotation.
   */
  public static Optional<String> check(String policy, Map<String, String> values) {
    try {
      GuardSpec probe = named("check").policy(policy);
      values.forEach((attribute, value) -> probe.set(policy, attribute, value));
      probe.configs(Map.of(policy, probe.values.get(policy)));
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static boolean isSetting(String policy, String attribute) {
    return ATTRIBUTES.containsKey(policy) && ATTRIBUTES.get(policy).contains(attribute);
  }

  /** The policies described by text. */
  public static Set<String> policies() {
    return ATTRIBUTES.keySet();
  }

  /** The attributes {@code policy} takes from text, or empty for a policy that does not exist. */
  public static Set<String> attributes(String policy) {
    return ATTRIBUTES.getOrDefault(policy, Set.of());
  }

  /**
   * Builds and registers the guard, with the runtime's configuration laid over these values: for
   * each attribute of each policy the guard has, the guard's key ({@code
   * brownout.guard.<guard>.<policy>.<attribute>}), else its class's key ({@code
   * brownout.guard.<Class>.<policy>.<attribute>}, see {@link #inClass}), else the default key
   * ({@code brownout.defaults.<policy>.<attribute>}), else the value set here. A key of this guard
   * for a policy it lacks, or a value a setting refuses, fails naming the key.
   */
  public Guard build(Brownout brownout) {
    Map<String, Map<String, String>> effective = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> policy : values.entrySet()) {
      effective.put(policy.getKey(), new LinkedHashMap<>(policy.getValue()));
    }
    ConfigSource config = brownout.config();
    checkOwnKeys(config);
    for (Map.Entry<String, Map<String, String>> policy : effective.entrySet()) {
      List<String> overrides = new ArrayList<>();
      for (String attribute : ATTRIBUTES.get(policy.getKey())) {
        for (String key : keysOf(policy.getKey(), attribute)) {
          Optional<String> override = config.get(key);
          if (override.isPresent()) {
            policy.getValue().put(attribute, override.get());
            Optional<String> problem = check(policy.getKey(), attribute, override.get());
            if (problem.isPresent()) {
              throw new IllegalArgumentException(
                  key
                      + " = "
                      + override.get()
                      + " (from "
                      + config.describe()
                      + "): "
                      + problem.get());
            }
            overrides.add(key + " = " + override.get());
            break;
          }
        }
      }
      Optional<String> together =
          overrides.isEmpty() ? Optional.empty() : check(policy.getKey(), policy.getValue());
      if (together.isPresent()) {
        overrides.sort(null); // in the order of the keys, whatever the order of the attributes
        throw new IllegalArgumentException(
            String.join(", ", overrides) + " (from " + config.describe() + "): " + together.get());
      }
    }
    Configs configs = configs(effective);
    Guard.Builder guard = brownout.guard(name);
    if (configs.breaker != null) {
      guard.circuitBreaker(configs.breaker);
    }
    if (configs.bulkhead != null) {
      guard.bulkhead(configs.bulkhead);
    }
    if (configs.rateLimiter != null) {
      guard.rateLimiter(configs.rateLimiter);
    }
    if (configs.limited) {
      guard.limiter(limitOf(brownout, configs));
    }
    if (configs.retry != null) {
      guard.retry(configs.retry);
    }
    if (configs.timeout != null) {
      guard.timeout(configs.timeout);
    }
    if (configs.deadline != null) {
      guard.deadline(configs.deadline);
    }
    if (recovery != null) {
      guard.recovery(recovery);
    }
    if (admission != null) {
      guard.admission(admission);
    }
    Guard built = guard.build();
    brownout.configKeys().register(name, inClass, effective.keySet());
    return built;
  }

  /**
   * The keys that can set {@code attribute} of {@code policy} of this guard, the most specific
   * first.
   */
  private List<String> keysOf(String policy, String attribute) {
    List<String> keys = new ArrayList<>();
    keys.add(GuardNames.configKey(name, policy, attribute));
    if (inClass != null) {
      keys.add(GuardNames.classConfigKey(inClass, policy, attribute));
    }
    keys.add(GuardNames.defaultConfigKey(policy, attribute));
    return keys;
  }

  /**
   * Fails on a key under this guard's name that sets a policy the guard lacks or names no setting;
   * a key that ends in a setting after more name parts belongs to a guard whose name goes on from
   * this one's ({@code Orders.place.v2}) and is left to it.
   */
  private void checkOwnKeys(ConfigSource config) {
    String prefix = ConfigKeys.GUARD + name + ".";
    for (ConfigKeys.Listed key : ConfigKeys.listed(config, prefix)) {
      String setting = null;
      for (String candidate : ConfigKeys.settings()) {
        if (key.names(prefix + candidate)) {
          setting = candidate;
        }
      }
      String described =
          key.shown()
              + " = "
              + config.get(key.key()).orElse("")
              + " (from "
              + config.describe()
              + ")";
      if (setting == null) {
        if (key.environment()
            ? endsWithAnySetting(key)
            : longerName(key.key().substring(prefix.length()))) {
          continue;
        }
        throw new IllegalArgumentException(
            described
                + " is not a setting of guard '"
                + name
                + "': expected "
                + prefix
                + "<policy>.<attribute> with a policy among "
                + values.keySet());
      }
      String policy = setting.substring(0, setting.indexOf('.'));
      if (!values.containsKey(policy)) {
        throw new IllegalArgumentException(
            described
                + " sets "
                + policy
                + " of guard '"
                + name
                + "', which has no "
                + policy
                + " policy; add it in the code first");
      }
    }
  }

  private static boolean longerName(String rest) {
    String[] parts = rest.split("\\.", -1);
    return parts.length > 2 && isSetting(parts[parts.length - 2], parts[parts.length - 1]);
  }

  private static boolean endsWithAnySetting(ConfigKeys.Listed key) {
    String variable = ConfigSource.environmentName(key.key());
    return ConfigKeys.settings().stream()
        .anyMatch(s -> variable.endsWith("_" + ConfigSource.environmentName(s)));
  }

  /**
   * Fails, naming each key and the nearest valid one, if a key under {@code
   * brownout.guard.<className>.} sets neither a guard built so far nor the class: a misspelt method
   * or attribute. A generated class calls it once it has built all its guards, so the check never
   * depends on what else the application builds.
   */
  public static void checkClassKeys(Brownout brownout, String className) {
    Settings.notNull("checkClassKeys.brownout", brownout);
    brownout.checkClassKeys(Settings.name("checkClassKeys.className", className));
  }

  /** The policy configs these values describe; invalid values fail naming the setting. */
  private Configs configs(Map<String, Map<String, String>> policies) {
    Configs configs = new Configs();
    for (Map.Entry<String, Map<String, String>> policy : policies.entrySet()) {
      Map<String, String> v = policy.getValue();
      switch (policy.getKey()) {
        case "circuitBreaker" -> configs.breaker = breaker(v);
        case "bulkhead" -> configs.bulkhead = bulkhead(v);
        case "rateLimiter" -> configs.rateLimiter = rateLimiter(v);
        case "concurrencyLimit" -> concurrencyLimit(v, configs);
        case "retry" -> configs.retry = retry(v);
        case "timeout" -> timeout(v, configs);
        default -> throw new IllegalStateException("unknown policy " + policy.getKey());
      }
    }
    return configs;
  }

  /**
   * The adaptive limiter a guard shares, by name, and the partition its calls belong to. The name
   * is required when the guard is built (the processor checks each attribute alone as well).
   */
  private static void concurrencyLimit(Map<String, String> v, Configs configs) {
    configs.limited = true;
    if (v.containsKey("limiter")) {
      configs.limiter = Settings.name("concurrencyLimit.limiter", v.get("limiter"));
    }
    configs.partition = v.getOrDefault("partition", "").trim();
  }

  /**
   * The runtime's limiter of that name (made with its defaults if the application has not made it
   * first), or its partition: one the limiter does not have fails naming the setting.
   */
  private static Limiter.Partition limitOf(Brownout brownout, Configs configs) {
    Limiter limiter = brownout.limiter(Settings.name("concurrencyLimit.limiter", configs.limiter));
    if (configs.partition.isEmpty()) {
      return limiter.unnamed();
    }
    if (!limiter.config().partitions().containsKey(configs.partition)) {
      throw Settings.invalid(
          "concurrencyLimit.partition",
          "'" + configs.partition + "'",
          "must be a partition of limiter '"
              + configs.limiter
              + "', which has "
              + limiter.config().partitions().keySet());
    }
    return limiter.partition(configs.partition);
  }

  /** The timeout of each attempt and the deadline of the whole call: one of them at least. */
  private static void timeout(Map<String, String> v, Configs configs) {
    if (!v.containsKey("duration") && !v.containsKey("deadline")) {
      throw Settings.invalid(
          "timeout.duration",
          "not set",
          "must be given (the time for each attempt) unless timeout.deadline is (the time for the whole call)");
    }
    if (v.containsKey("duration")) {
      configs.timeout =
          Settings.positive(
              "timeout.duration", Durations.parse("timeout.duration", v.get("duration")));
    }
    if (v.containsKey("deadline")) {
      configs.deadline =
          Settings.positive(
              "timeout.deadline", Durations.parse("timeout.deadline", v.get("deadline")));
    }
  }

  private CircuitBreakerConfig breaker(Map<String, String> v) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    for (Map.Entry<String, String> a : v.entrySet()) {
      String setting = "circuitBreaker." + a.getKey();
      String text = a.getValue();
      switch (a.getKey()) {
        case "failureRateThreshold" -> b.failureRateThreshold(floating(setting, text));
        case "slowCallRateThreshold" -> b.slowCallRateThreshold(floating(setting, text));
        case "slowCallDurationThreshold" ->
            b.slowCallDurationThreshold(Durations.parse(setting, text));
        case "slidingWindowType" -> b.slidingWindowType(windowType(setting, text));
        case "slidingWindowSize" -> b.slidingWindowSize(integer(setting, text));
        case "minimumNumberOfCalls" -> b.minimumNumberOfCalls(integer(setting, text));
        case "waitDurationInOpenState" -> b.waitDurationInOpenState(Durations.parse(setting, text));
        case "permittedNumberOfCallsInHalfOpenState" ->
            b.permittedNumberOfCallsInHalfOpenState(integer(setting, text));
        default -> throw new IllegalStateException(setting);
      }
    }
    // Types, not predicates: two guards built from one spec get equal configs, so they share a
    // breaker.
    b.recordExceptions(types("circuitBreaker.recordExceptions"));
    b.ignoreExceptions(types("circuitBreaker.ignoreExceptions"));
    return b.build();
  }

  private static BulkheadConfig bulkhead(Map<String, String> v) {
    BulkheadConfig.Builder b = BulkheadConfig.builder();
    for (Map.Entry<String, String> a : v.entrySet()) {
      String setting = "bulkhead." + a.getKey();
      switch (a.getKey()) {
        case "maxConcurrentCalls" -> b.maxConcurrentCalls(integer(setting, a.getValue()));
        case "maxWaitDuration" -> b.maxWaitDuration(Durations.parse(setting, a.getValue()));
        default -> throw new IllegalStateException(setting);
      }
    }
    return b.build();
  }

  private static RateLimiterConfig rateLimiter(Map<String, String> v) {
    RateLimiterConfig.Builder b = RateLimiterConfig.builder();
    for (Map.Entry<String, String> a : v.entrySet()) {
      String setting = "rateLimiter." + a.getKey();
      switch (a.getKey()) {
        case "limit" -> b.limit(integer(setting, a.getValue()));
        case "period" -> b.period(Durations.parse(setting, a.getValue()));
        case "kind" -> b.kind(rateKind(setting, a.getValue()));
        case "permitsPerCall" -> b.permitsPerCall(integer(setting, a.getValue()));
        case "maxWaitDuration" -> b.maxWaitDuration(Durations.parse(setting, a.getValue()));
        default -> throw new IllegalStateException(setting);
      }
    }
    return b.build();
  }

  private static RateLimiterConfig.Kind rateKind(String setting, String text) {
    try {
      return RateLimiterConfig.Kind.valueOf(text.trim());
    } catch (IllegalArgumentException e) {
      throw Settings.invalid(
          setting, "'" + text + "'", "must be SMOOTH, FIXED_WINDOW or ROLLING_WINDOW");
    }
  }

  private RetryConfig retry(Map<String, String> v) {
    RetryConfig.Builder b = RetryConfig.builder();
    RetryConfig defaults = RetryConfig.ofDefaults();
    double ratio = defaults.budgetRatio();
    int minimum = defaults.minRetriesPerSecond();
    for (Map.Entry<String, String> a : v.entrySet()) {
      String setting = "retry." + a.getKey();
      switch (a.getKey()) {
        case "maxAttempts" -> b.maxAttempts(integer(setting, a.getValue()));
        case "waitDuration" -> b.waitDuration(Durations.parse(setting, a.getValue()));
        case "budgetRatio" -> ratio = floating(setting, a.getValue());
        case "minRetriesPerSecond" -> minimum = integer(setting, a.getValue());
        case "maxDuration" -> b.maxDuration(Durations.parse(setting, a.getValue()));
        case "retryOnRejection" -> b.retryOnRejection(rejections(setting, a.getValue()));
        default -> throw new IllegalStateException(setting);
      }
    }
    b.budget(ratio, minimum);
    b.retryOn(types("retry.retryOn"));
    b.abortOn(types("retry.abortOn"));
    if (!v.containsKey("retryOnRejection")) {
      b.retryOnRejection(
          rejections("retry.retryOnRejection", List.of(types("retry.retryOnRejection"))));
    }
    return b.build();
  }

  /**
   * Rejection types from a comma-separated list of class names; a name without a package is one of
   * this package's ({@code CallNotPermittedException}, {@code BulkheadFullException}, ...). Blank
   * for none.
   */
  private static Class<? extends RejectedCallException>[] rejections(String setting, String text) {
    List<Class<? extends Throwable>> types = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty() && text.isBlank()) {
        continue;
      }
      String qualified =
          name.contains(".") ? name : RejectedCallException.class.getPackageName() + "." + name;
      try {
        types.add(Class.forName(qualified, false, loader()).asSubclass(Throwable.class));
      } catch (ClassNotFoundException | ClassCastException | LinkageError e) {
        throw notRejections(setting, "'" + text + "'");
      }
    }
    return rejections(setting, types);
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : GuardSpec.class.getClassLoader();
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // each type checked to be a rejection type
  private static Class<? extends RejectedCallException>[] rejections(
      String setting, List<Class<? extends Throwable>> types) {
    for (Class<? extends Throwable> type : types) {
      if (!RejectedCallException.class.isAssignableFrom(type)) {
        throw notRejections(setting, type.getName());
      }
    }
    return types.toArray(new Class[0]);
  }

  private static IllegalArgumentException notRejections(String setting, String value) {
    return Settings.invalid(
        setting,
        value,
        "must list rejection types (subtypes of "
            + RejectedCallException.class.getName()
            + "), such as CallNotPermittedException or BulkheadFullException");
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of exception classes, from a list of them
  private Class<? extends Throwable>[] types(String key) {
    return exceptions.getOrDefault(key, List.of()).toArray(new Class[0]);
  }

  private static int integer(String setting, String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw Settings.invalid(setting, "'" + text + "'", "must be a whole number");
    }
  }

  private static float floating(String setting, String text) {
    try {
      return Float.parseFloat(text.trim());
    } catch (NumberFormatException e) {
      throw Settings.invalid(setting, "'" + text + "'", "must be a number");
    }
  }

  private static CircuitBreakerConfig.WindowType windowType(String setting, String text) {
    try {
      return CircuitBreakerConfig.WindowType.valueOf(text.trim());
    } catch (IllegalArgumentException e) {
      throw Settings.invalid(setting, "'" + text + "'", "must be COUNT_BASED or TIME_BASED");
    }
  }

  private static String known(String policy) {
    if (!ATTRIBUTES.containsKey(policy)) {
      throw Settings.invalid(
          "guard.policy", "'" + policy + "'", "must be one of " + ATTRIBUTES.keySet());
    }
    return policy;
  }

  private static String knownAttribute(String policy, String attribute) {
    if (!ATTRIBUTES.get(policy).contains(attribute)) {
      throw Settings.invalid(
          policy + " attribute", "'" + attribute + "'", "must be one of " + ATTRIBUTES.get(policy));
    }
    return attribute;
  }

  /** The configs of one guard, any of them absent. */
  private static final class Configs {
    CircuitBreakerConfig breaker;
    BulkheadConfig bulkhead;
    RateLimiterConfig rateLimiter;
    boolean limited;
    String limiter;
    String partition;
    RetryConfig retry;
    Duration timeout;
    Duration deadline;
  }
}
