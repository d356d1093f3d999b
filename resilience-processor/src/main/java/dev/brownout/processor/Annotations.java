package dev.brownout.processor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brownout's annotations as the processor knows them, by name, and how each attribute of a core
 * policy's annotation becomes a line of the generated {@code GuardSpec}. This is the one place to
 * touch when an annotation or an attribute is added.
 *
 * <table>
 *   <caption>Attributes of {@code @CircuitBreaker}, {@code @Bulkhead}, {@code @Timeout}, {@code @Retry}</caption>
 *   <tr><th>attribute</th><th>read as</th><th>written as</th></tr>
 *   <tr><td>{@code name}</td><td>the guard's name</td><td>{@code GuardSpec.named(name)}</td></tr>
 *   <tr><td>a {@code Class[]}</td><td>exception types</td><td>{@code .exceptions(policy, attribute, A.class, ...)}</td></tr>
 *   <tr><td>any other</td><td>text, checked by {@code GuardSpec.check}</td><td>{@code .set(policy, key, text)},
 *       the key from {@link #KEYS} or else the attribute's name</td></tr>
 * </table>
 *
 * <p>So a new attribute whose name is a {@code GuardSpec} key needs no code here; one whose key
 * differs joins {@link #KEYS}; one that narrows another list joins {@link #NARROWINGS}.
 */
final class Annotations {

  static final String CORE = "dev.brownout.core.annotation.";

  /** Core annotations mapped to the policy names of the runtime's {@code GuardSpec}. */
  static final Map<String, String> POLICIES =
      Map.of(
          CORE + "CircuitBreaker", "circuitBreaker",
          CORE + "Bulkhead", "bulkhead",
          CORE + "RateLimit", "rateLimiter",
          CORE + "ConcurrencyLimit", "concurrencyLimit",
          CORE + "Timeout", "timeout",
          CORE + "Retry", "retry");

  static final String FALLBACK = CORE + "Fallback";

  /** {@code policy.attribute} mapped to its {@code GuardSpec} key, where the two differ. */
  static final Map<String, String> KEYS = Map.of("timeout.value", "duration");

  /**
   * An exception list that narrows another of the same annotation: each of its types must lie
   * inside one of the other's, and cover none of them whole.
   */
  record Narrowing(
      String attribute, String narrowed, String verb, ErrorId covers, ErrorId outside) {}

  /** The narrowing lists of each core policy. */
  static final Map<String, Narrowing> NARROWINGS =
      Map.of(
          "retry",
          new Narrowing(
              "abortOn",
              "retryOn",
              "retried",
              ErrorId.RETRY_ABORT_COVERS,
              ErrorId.RETRY_ABORT_OUTSIDE));

  /** {@code @Fallback(skipOn)} narrows {@code on} (or {@code applyOn}, its other name). */
  static final Narrowing FALLBACK_SKIP_ON =
      new Narrowing(
          "skipOn",
          "on",
          "handled by the fallback",
          ErrorId.FALLBACK_SKIP_COVERS,
          ErrorId.FALLBACK_SKIP_OUTSIDE);

  /** Policies whose annotations live in other modules, read by name. */
  static final List<ModulePolicy> MODULE_POLICIES =
      List.of(new RecoverPolicy(), new DegradablePolicy());

  static final String MIGRATION = "dev.brownout.migration.annotation.";

  /**
   * Annotations of {@code migration} that route a method through an {@code Experiment} or a {@code
   * Shift} rather than a guard; read by {@link Migration}.
   */
  static final String EXPERIMENT_WITH = MIGRATION + "ExperimentWith";

  static final String SHIFT_TO = MIGRATION + "ShiftTo";
  static final String SHIFT_KEY = MIGRATION + "ShiftKey";

  private Annotations() {}

  /** The {@code GuardSpec} key of {@code attribute} of {@code policy}. */
  static String key(String policy, String attribute) {
    return KEYS.getOrDefault(policy + "." + attribute, attribute);
  }

  /** Whether {@code annotation} (a qualified name) is one of Brownout's. */
  static boolean isBrownout(String annotation) {
    return POLICIES.containsKey(annotation)
        || annotation.equals(FALLBACK)
        || modulePolicy(annotation) != null;
  }

  /** The module policy of {@code annotation}, or null. */
  static ModulePolicy modulePolicy(String annotation) {
    for (ModulePolicy policy : MODULE_POLICIES) {
      if (policy.annotation().equals(annotation)) {
        return policy;
      }
    }
    return null;
  }

  /** Every annotation the processor reads. */
  static Set<String> supported() {
    Set<String> names = new LinkedHashSet<>(POLICIES.keySet());
    names.add(FALLBACK);
    for (ModulePolicy policy : MODULE_POLICIES) {
      names.add(policy.annotation());
    }
    names.add(EXPERIMENT_WITH);
    names.add(SHIFT_TO);
    return names;
  }
}
