package dev.brownout.recover;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Default place names: low-cardinality, since a place is a metric tag. A route template ({@code
 * "GET /orders/{id}"}) is the best place; when the adapter cannot know it, the method and the first
 * path segment ({@code "GET /orders"}) are a sane stand-in that does not grow one time series per
 * id.
 *
 * <pre>{@code
 * Places.http("GET", "/orders/17/lines?page=2");  // "GET /orders"
 * Places.http("BREW", "/pot");                    // "OTHER /pot"
 * Places.thread(worker);                          // "pool-#-thread-#" for "pool-3-thread-12"
 * }</pre>
 */
public final class Places {

  /** Methods kept as they are; any other method is a client's invention and becomes "OTHER". */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");

  /** The longest first segment kept, in characters. */
  static final int MAX_SEGMENT = 64;

  private Places() {}

  /** The method and the first segment of {@code path} (query and path parameters dropped). */
  public static String http(@Nullable String method, @Nullable String path) {
    return (method != null && METHODS.contains(method) ? method : "OTHER")
        + " "
        + firstSegment(path);
  }

  /**
   * The thread's name with every run of digits replaced by {@code #}, so a pool's threads share one
   * place.
   */
  public static String thread(@Nullable Thread thread) {
    return thread == null ? "thread" : thread.getName().replaceAll("[0-9]+", "#");
  }

  private static String firstSegment(String path) {
    if (path == null) {
      return "/";
    }
    int start = path.startsWith("/") ? 1 : 0;
    int end = start;
    while (end < path.length()
        && end - start < MAX_SEGMENT
        && "/;?#".indexOf(path.charAt(end)) < 0) {
      end++;
    }
    return "/" + path.substring(start, end);
  }
}
