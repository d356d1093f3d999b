package dev.brownout.core.internal;

/**
 * The naming rules that the annotation processor and the runtime agree on. Not API: the processor
 * writes class names and guard names by these rules when code compiles, and the runtime reads them
 * back, so each rule exists here only.
 *
 * <ul>
 *   <li>generated class: {@code Guarded_} plus the simple names of the type and its enclosing types
 *       joined by {@code _}, in the type's package ({@code com.shop.OrderService} → {@code
 *       com.shop.Guarded_OrderService}; {@code Outer.Inner} → {@code Guarded_Outer_Inner}), so that
 *       {@code brownout.wrap(Type.class, impl)} finds it without scanning;
 *   <li>default guard name: {@code <SimpleClassName>.<method>} ({@code OrderService.place});
 *   <li>configuration key of an attribute: {@code
 *       brownout.guard.<guard-name>.<policy>.<attribute>}, over the class's {@code
 *       brownout.guard.<SimpleClassName>.<policy>.<attribute>}, over {@code
 *       brownout.defaults.<policy>.<attribute>}.
 * </ul>
 *
 * <pre>{@code
 * GuardNames.generatedClassName("com.shop.Outer$Inner");                // com.shop.Guarded_Outer_Inner
 * GuardNames.configKey("OrderService.place", "retry", "maxAttempts");  // brownout.guard.OrderService.place.retry.maxAttempts
 * }</pre>
 */
public final class GuardNames {

  /** The prefix of every key that sets one guard or one class. */
  public static final String GUARD_PREFIX = "brownout.guard.";

  /** The prefix of every key that sets a policy of every guard that has it. */
  public static final String DEFAULTS_PREFIX = "brownout.defaults.";

  private GuardNames() {}

  /** The binary name of the generated class for a type with this binary name ({@code a.B$C}). */
  public static String generatedClassName(String binaryName) {
    requireText("binaryName", binaryName);
    int dot = binaryName.lastIndexOf('.');
    String pkg = dot < 0 ? "" : binaryName.substring(0, dot + 1);
    String nested = binaryName.substring(dot + 1).replace('$', '_');
    return pkg + "Guarded_" + nested;
  }

  /** The guard name used when an annotation does not set one. */
  public static String defaultGuardName(String simpleClassName, String method) {
    requireText("simpleClassName", simpleClassName);
    requireText("method", method);
    return simpleClassName + "." + method;
  }

  /** The key that overrides one attribute of one policy of one guard. */
  public static String configKey(String guardName, String policy, String attribute) {
    requireText("guardName", guardName);
    requireText("policy", policy);
    requireText("attribute", attribute);
    return GUARD_PREFIX + guardName + "." + policy + "." + attribute;
  }

  /** The key that overrides one attribute of one policy of every guard of a class. */
  public static String classConfigKey(String simpleClassName, String policy, String attribute) {
    return configKey(simpleClassName, policy, attribute);
  }

  /** The key that overrides one attribute of one policy of every guard that has the policy. */
  public static String defaultConfigKey(String policy, String attribute) {
    requireText("policy", policy);
    requireText("attribute", attribute);
    return DEFAULTS_PREFIX + policy + "." + attribute;
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          what + " must be non-blank, but was " + (value == null ? "null" : "'" + value + "'"));
    }
  }
}
