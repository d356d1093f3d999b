package dev.brownout.processor;

/**
 * The naming rules the processor and the runtime agree on, so that {@code brownout.wrap(Type.class,
 * impl)} can find a generated class without scanning, and a user can predict every guard's name for
 * configuration keys.
 *
 * <ul>
 *   <li>generated class: {@code Guarded_} plus the simple names of the type and its enclosing types
 *       joined by {@code _}, in the type's package ({@code com.shop.OrderService} → {@code
 *       com.shop.Guarded_OrderService}; {@code Outer.Inner} → {@code Guarded_Outer_Inner});
 *   <li>default guard name: {@code <SimpleClassName>.<method>} ({@code OrderService.place});
 *   <li>configuration key of an attribute: {@code brownout.guard.<guard-name>.<policy>.<attribute>},
 *       over the class's {@code brownout.guard.<SimpleClassName>.<policy>.<attribute>}, over {@code
 *       brownout.defaults.<policy>.<attribute>}.
 * </ul>
 */
public final class GuardNames {

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
    return "brownout.guard." + guardName + "." + policy + "." + attribute;
  }

  /** The key that overrides one attribute of one policy of every guard of a class. */
  public static String classConfigKey(String simpleClassName, String policy, String attribute) {
    return configKey(simpleClassName, policy, attribute);
  }

  /** The key that overrides one attribute of one policy of every guard that has the policy. */
  public static String defaultConfigKey(String policy, String attribute) {
    requireText("policy", policy);
    requireText("attribute", attribute);
    return "brownout.defaults." + policy + "." + attribute;
  }

  private static void requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be non-blank, but was " + (value == null ? "null" : "'" + value + "'"));
    }
  }
}
