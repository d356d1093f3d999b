package dev.brownout.processor;

import dev.brownout.core.Brownout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/** Calls on classes the tests compile at run time, which test code cannot name. */
final class Reflective {

  private Reflective() {}

  /** {@code brownout.wrap(type, implementation)} for a type known only as a {@code Class<?>}. */
  static <T> T wrap(Brownout brownout, Class<T> type, Object implementation) {
    return brownout.wrap(type, type.cast(implementation));
  }

  /**
   * Calls the public method {@code name} taking {@code args.length} arguments, rethrowing what it
   * throws.
   */
  static Object invoke(Object target, String name, Object... args) throws Throwable {
    for (Method method : target.getClass().getMethods()) {
      if (method.getName().equals(name) && method.getParameterCount() == args.length) {
        try {
          return method.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no method " + name);
  }
}
