package dev.brownout.recover;

/**
 * The one decision of the recovery core: which throwables must not be recovered. A {@link
 * VirtualMachineError} means the JVM itself can no longer be trusted (out of memory, an internal
 * error), so carrying on would serve requests from a broken process; such errors are logged and
 * passed on. A {@link StackOverflowError} is the exception: the stack has unwound by the time
 * anyone catches it, and the thread is as healthy as before the call.
 */
final class Fatal {

  private Fatal() {}

  static boolean is(Throwable thrown) {
    return thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError);
  }

  static void rethrowIfFatal(Throwable thrown) {
    if (is(thrown)) {
      throw (VirtualMachineError) thrown;
    }
  }
}
