package dev.brownout.recover;

/**
 * The ways a handler crashes in the HTTP tests, shared by both servers. Every message carries
 * {@link #SECRET}, so a test can prove no message reaches a client.
 */
public final class Crashes {

  public static final String SECRET = "s3cret-internal-detail";

  /** What a route of the test servers does; the first path segment names it. */
  public enum Route {
    HEALTHY,
    RUNTIME,
    CHECKED,
    ERROR,
    OVERFLOW,
    COMMITTED,
    MAPPED,
    /** Crashes after writing through the servlet's Writer rather than its OutputStream. */
    WRITER,
    INTERRUPTED;

    public String path(int n) {
      return "/" + name().toLowerCase(java.util.Locale.ROOT) + "/" + n;
    }

    public static Route of(String path) {
      String first = path.substring(1).split("/", 2)[0];
      return valueOf(first.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** A checked exception no server signature declares. */
  public static final class LedgerUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    LedgerUnavailableException(String message) {
      super(message);
    }
  }

  private Crashes() {}

  /** Throws as {@code route} says; returns only for routes that do not crash by themselves. */
  public static void crash(Route route) {
    switch (route) {
      case RUNTIME, COMMITTED, WRITER -> throw new IllegalStateException("runtime " + SECRET);
      case INTERRUPTED ->
          Crashes.<RuntimeException>sneakyThrow(new InterruptedException("interrupted " + SECRET));
      case CHECKED ->
          Crashes.<RuntimeException>sneakyThrow(
              new LedgerUnavailableException("checked " + SECRET));
      case ERROR -> throw new AssertionError("error " + SECRET);
      case OVERFLOW -> recurse(0);
      case MAPPED -> throw new IllegalArgumentException("mapped " + SECRET);
      case HEALTHY -> {}
    }
  }

  /** Real recursion, to a real {@link StackOverflowError}. */
  static int recurse(int depth) {
    return depth == Integer.MAX_VALUE ? depth : recurse(depth + 1) + 1;
  }

  @SuppressWarnings(
      "unchecked") // the point: throw a checked exception past signatures that do not declare it
  private static <T extends Throwable> void sneakyThrow(Throwable thrown) throws T {
    throw (T) thrown;
  }
}
